using Andes.Testing;
using Xunit.Abstractions;

namespace Andes.Samples.Tests;

/// <summary>
/// Every notebook through the Roslyn runner and every sample as a file-based app (<c>dotnet run app.cs</c>), on the
/// tiny model each generates. Their durations are written to the test output.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class SampleRunTests(ITestOutputHelper log)
{
    private static readonly TimeSpan NotebookTimeout = TimeSpan.FromMinutes(5);

    // The first run of an app builds it (and checks its project references): allow for a cold machine.
    private static readonly TimeSpan AppTimeout = TimeSpan.FromMinutes(10);

    [Theory]
    [MemberData(nameof(Names))]
    public void TheNotebookRunsInTheRunner(string name)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        string notebook = Path.Combine(SampleProcess.RepositoryRoot, "notebooks", name + ".ipynb");
        (int exitCode, string output, TimeSpan elapsed) = SampleProcess.RunDotnet(temp.Path, temp.Path, NotebookTimeout, runner, "run", notebook, "--report-dir", temp.Path);

        log.WriteLine($"notebook {name}: {elapsed.TotalSeconds:F1} s");
        log.WriteLine(output);
        Assert.True(exitCode == 0, $"the runner exited with {exitCode}:{Environment.NewLine}{output}");
        Samples.AssertOutput(name, output);
        string report = File.ReadAllText(Path.Combine(temp.Path, name + ".html"));
        Assert.Contains("<pre class=\"md\">#", report, StringComparison.Ordinal);
        if (name.StartsWith("03-", StringComparison.Ordinal))
        {
            // The trajectory's pictures are inline in the report: the 'before/after' pair and one per step.
            Assert.Equal(6, report.Split("src='data:image/png;base64,").Length - 1);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheFileBasedAppRuns(string name)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string folder = Path.Combine(SampleProcess.RepositoryRoot, "samples", name);
        (int exitCode, string output, TimeSpan elapsed) = SampleProcess.RunDotnet(folder, temp.Path, AppTimeout, "run", "-c", SampleProcess.Configuration, "app.cs");

        // The SDK caches the app's build per app path (about 250 MB: ONNX Runtime's native libraries for every
        // platform), and CI clones into a new folder each time: remove it. (--artifacts-path would avoid the cache but
        // also rebuild every referenced src project into it.)
        int removed = RunFileCache.Remove(Path.Combine(folder, "app.cs"));
        log.WriteLine($"removed {removed} cached build(s) of the app");

        log.WriteLine($"app {name}: {elapsed.TotalSeconds:F1} s (first build included)");
        log.WriteLine(output);
        Assert.True(exitCode == 0, $"dotnet run app.cs exited with {exitCode}:{Environment.NewLine}{output}");
        Samples.AssertOutput(name, output);
    }

    public static TheoryData<string> Names() => Samples.Names;
}
