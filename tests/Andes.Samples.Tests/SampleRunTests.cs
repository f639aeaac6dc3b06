using Andes.Testing;
using Xunit.Abstractions;

namespace Andes.Samples.Tests;

/// <summary>
/// Every notebook through the runner on .NET Interactive's C# kernel (its packages restored from this build's feed)
/// and every sample as a file-based app (<c>dotnet run app.cs</c>), on the
/// tiny model each generates. Their durations are written to the test output.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class SampleRunTests(NotebookFeedFixture feed, ITestOutputHelper log)
{
    private static readonly TimeSpan NotebookTimeout = TimeSpan.FromMinutes(5);

    // The first run of an app builds it (and checks its project references): allow for a cold machine.
    private static readonly TimeSpan AppTimeout = TimeSpan.FromMinutes(10);

    [Theory]
    [MemberData(nameof(Names))]
    public void TheNotebookRunsInTheRunner(string name)
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        (string temp, string home, string reports) = Folders(root);
        string runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        string notebook = Path.Combine(SampleProcess.RepositoryRoot, "notebooks", name + ".ipynb");
        (int exitCode, string output, TimeSpan elapsed) = SampleProcess.RunDotnet(root.Path, temp, home, NotebookTimeout, [runner, "run", notebook, "--report-dir", reports, .. feed.RunnerArguments]);

        log.WriteLine($"notebook {name}: {elapsed.TotalSeconds:F1} s");
        log.WriteLine(output);
        Assert.True(exitCode == 0, $"the runner exited with {exitCode}:{Environment.NewLine}{output}");
        Samples.AssertOutput(name, output);
        string report = File.ReadAllText(Path.Combine(reports, name + ".html"));
        Assert.Contains("<div class=\"md\"><h1", report, StringComparison.Ordinal);
        if (name.StartsWith("03-", StringComparison.Ordinal))
        {
            // The trajectory's pictures are inline in the report: the 'before/after' pair and one per step.
            Assert.Equal(6, report.Split("src='data:image/png;base64,").Length - 1);
        }

        // The kernel compiles and runs in memory; its package restores ('dotnet restore' children) keep NuGet's lock
        // files in NuGet's scratch folder. Anything else could only come from the notebook (or the libraries it calls).
        Assert.DoesNotContain(LeftInTemp(temp), p => !p.StartsWith("NuGetScratch", StringComparison.Ordinal));
        AssertWhatTheSampleKept(name, home, app: false);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheFileBasedAppRuns(string name)
    {
        using TemporaryDirectory root = TestModels.CreateTemporaryDirectory();
        (string temp, string home, _) = Folders(root);
        string folder = Path.Combine(SampleProcess.RepositoryRoot, "samples", name);
        (int exitCode, string output, TimeSpan elapsed) = SampleProcess.RunDotnet(folder, temp, home, AppTimeout, "run", "-c", SampleProcess.Configuration, "app.cs");

        // The SDK caches the app's build per app path (about 250 MB: ONNX Runtime's native libraries for every
        // platform), and CI clones into a new folder each time: remove it. (--artifacts-path would avoid the cache but
        // also rebuild every referenced src project into it.)
        int removed = RunFileCache.Remove(Path.Combine(folder, "app.cs"));
        log.WriteLine($"removed {removed} cached build(s) of the app");

        log.WriteLine($"app {name}: {elapsed.TotalSeconds:F1} s (first build included)");
        log.WriteLine(output);
        Assert.True(exitCode == 0, $"dotnet run app.cs exited with {exitCode}:{Environment.NewLine}{output}");
        Samples.AssertOutput(name, output);

        // The build (MSBuild, NuGet, the compiler) has temporary files of its own; the app's would be named after Andes.
        string[] left = [.. LeftInTemp(temp).Where(p => p.Contains("andes", StringComparison.OrdinalIgnoreCase))];
        Assert.True(left.Length == 0, $"the app left in the temporary folder: {string.Join(", ", left)}");
        AssertWhatTheSampleKept(name, home, app: true);
    }

    /// <summary>
    /// A sample writes under ANDES_HOME only, deletes the model it generated, and keeps what it says it keeps: 03 its
    /// recorded run (report.html), 01 and 03 as apps the HTML pages they stand in for the notebook's display with.
    /// </summary>
    private static void AssertWhatTheSampleKept(string name, string home, bool app)
    {
        string folder = Path.Combine(home, "samples", name);
        string[] kept = Directory.Exists(folder)
            ? [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];
        Assert.DoesNotContain(kept, p => p == "work" || p.StartsWith("work/", StringComparison.Ordinal));
        string[] expected = name switch
        {
            "01-chat-with-an-image" when app => ["figure-1.html"],
            "03-gui-agent-dry-run" => [.. (app ? new[] { "figure-1.html", "figure-2.html" } : []),
                "after.png", "before.png", "trajectory", "trajectory/report.html", "trajectory/run.json",
                "trajectory/step-001.png", "trajectory/step-002.png", "trajectory/step-003.png", "trajectory/step-004.png", "trajectory/trajectory.jsonl"],
            _ => [],
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), kept);
    }

    /// <summary>
    /// What is left in a child's temporary folder (relative paths), except ONNX Runtime's own <c>.ses</c>: the native
    /// ONNX Runtime and ONNX Runtime GenAI libraries (1.32, 0.20) keep a telemetry session id there in any process that
    /// loads them, unless ORT_DISABLE_TELEMETRY=1 is set before they load; that is the engine's to decide, not a sample's.
    /// </summary>
    private static string[] LeftInTemp(string temp) =>
        [.. Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(temp, p))
            .Where(p => p != ".ses")];

    /// <summary>The child's temporary folder (empty), its ANDES_HOME and a folder for the runner's reports.</summary>
    private static (string Temp, string Home, string Reports) Folders(TemporaryDirectory root) =>
        (Directory.CreateDirectory(Path.Combine(root.Path, "tmp")).FullName, Path.Combine(root.Path, "home"), Path.Combine(root.Path, "reports"));

    public static TheoryData<string> Names() => Samples.Names;
}
