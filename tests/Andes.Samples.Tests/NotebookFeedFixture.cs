using Andes.NotebookRunner;

namespace Andes.Samples.Tests;

/// <summary>
/// The packages the notebooks' <c>#r "nuget: Andes.X, VERSION"</c> lines restore, packed once per test run from this
/// build (<c>dotnet pack --no-build</c> of each library the test project references) into a fresh temporary folder,
/// and one NuGet packages folder every notebook of the run restores into (the first restore fills it, later ones
/// find their packages there), so the user's NuGet cache is not written. Both are deleted on dispose.
/// </summary>
public sealed class NotebookFeedFixture : IDisposable
{
    /// <summary>The projects packed: every Andes library (the CLI tool is not a notebook reference).</summary>
    public static readonly IReadOnlyList<string> Projects = ["Andes.Abstractions", "Andes.GenAI", "Andes.ModelBuilder", "Andes.SemanticKernel", "Andes.Agents.Gui", "Andes.Agents.Gui.Evaluation"];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Packs.</summary>
    public NotebookFeedFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "andes-notebook-feed-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        string temp = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        foreach (string project in Projects)
        {
            string path = Path.Combine(SampleProcess.RepositoryRoot, "src", project, project + ".csproj");
            (int exitCode, string output, _) = SampleProcess.RunDotnet(SampleProcess.RepositoryRoot, temp, Path.Combine(Root, "home"), PackTimeout,
                "pack", path, "-c", SampleProcess.Configuration, "--no-build", "-o", Feed, "-p:Version=" + PackageCatalog.BuiltAndesVersion);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} exited with {exitCode}:{Environment.NewLine}{output}");
            }
        }
    }

    /// <summary>This run's folder (feed, packages).</summary>
    public string Root { get; }

    /// <summary>The local feed: a folder of .nupkg files at the notebooks' pinned version.</summary>
    public string Feed { get; }

    /// <summary>The NuGet packages folder the notebooks restore into (the runner's <c>--packages</c>).</summary>
    public string Packages { get; }

    /// <summary>The runner's arguments that use this feed and packages folder.</summary>
    public string[] RunnerArguments => ["--feed", Feed, "--packages", Packages];

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the OS's temporary-folder clean-up.
        }
    }
}
