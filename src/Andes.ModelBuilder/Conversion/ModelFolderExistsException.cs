namespace Andes.ModelBuilder;

/// <summary>
/// The output folder of a conversion already holds files and <see cref="ModelConversionOptions.Overwrite"/> was not
/// set (<c>andes convert --force</c>). Thrown before any work is done.
/// </summary>
public sealed class ModelFolderExistsException : IOException
{
    /// <summary>Initializes a new instance of the <see cref="ModelFolderExistsException"/> class.</summary>
    /// <param name="directory">The existing folder.</param>
    public ModelFolderExistsException(string directory)
        : base($"Output folder '{directory}' already exists and is not empty; give another folder, or replace it with --force (the old model stays intact until the new one is complete).")
    {
        Directory = directory;
    }

    /// <summary>The existing folder.</summary>
    public string Directory { get; }
}
