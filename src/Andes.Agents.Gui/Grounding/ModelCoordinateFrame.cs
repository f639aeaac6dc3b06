namespace Andes.Agents.Gui.Grounding;

/// <summary>Which image the model's normalised coordinates are relative to.</summary>
public enum ModelCoordinateFrame
{
    /// <summary>The processed image, padding included (what the vision encoder saw): AndesVL's default.</summary>
    ProcessedImage,

    /// <summary>The source image (the screenshot as captured), as if there were no padding.</summary>
    SourceImage,
}
