namespace Andes.NotebookRunner;

/// <summary>Where the samples and notebooks of this repository are.</summary>
/// <param name="Root">The repository root (the folder holding Andes.sln).</param>
public sealed record RepositoryLayout(string Root)
{
    /// <summary>The samples folder: one <c>NAME/app.cs</c> per sample.</summary>
    public string SamplesDirectory => Path.Combine(Root, "samples");

    /// <summary>The notebooks folder: one <c>NAME.ipynb</c> per sample.</summary>
    public string NotebooksDirectory => Path.Combine(Root, "notebooks");

    /// <summary>The sample names (folders of <see cref="SamplesDirectory"/> with an app.cs), sorted.</summary>
    public IReadOnlyList<string> SampleNames =>
        [.. Directory.EnumerateDirectories(SamplesDirectory)
            .Where(d => File.Exists(Path.Combine(d, "app.cs")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!];

    /// <summary>A sample's app file.</summary>
    /// <param name="name">The sample name.</param>
    /// <returns>The path.</returns>
    public string AppPath(string name) => Path.Combine(SamplesDirectory, name, "app.cs");

    /// <summary>A sample's notebook file.</summary>
    /// <param name="name">The sample name.</param>
    /// <returns>The path.</returns>
    public string NotebookPath(string name) => Path.Combine(NotebooksDirectory, name + ".ipynb");

    /// <summary>Finds the repository around a folder.</summary>
    /// <param name="start">A folder inside the repository.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="DirectoryNotFoundException">No folder above holds Andes.sln.</exception>
    public static RepositoryLayout Find(string start)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Andes.sln")))
            {
                return new RepositoryLayout(dir.FullName);
            }
        }

        throw new DirectoryNotFoundException($"No folder at or above '{start}' holds Andes.sln.");
    }
}
