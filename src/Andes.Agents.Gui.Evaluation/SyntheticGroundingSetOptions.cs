using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>Settings of <see cref="SyntheticGroundingSetGenerator"/>.</summary>
public sealed class SyntheticGroundingSetOptions
{
    /// <summary>Samples drawn from each screenshot at most (3).</summary>
    public int SamplesPerImage { get; set; } = 3;

    /// <summary>The annotation file's name (<c>screenspot.json</c>).</summary>
    public string AnnotationFileName { get; set; } = "screenspot.json";

    /// <summary>The image folder's name, beside the annotation file (<c>images</c>).</summary>
    public string ImageFolderName { get; set; } = "images";
}
