using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Andes.Packaging.Tests;

/// <summary>
/// PACKAGING TESTS: the samples as a notebook user gets them. Each sample's file-based app, with its
/// <c>#:project ../../src/Andes.X/Andes.X.csproj</c> references replaced by the packages of this build
/// (<c>#:package Andes.X@VERSION</c>, what the notebook's <c>#r "nuget: Andes.X, ..."</c> lines ask for), runs from a
/// folder outside the repository with the local feed: the packages carry everything the samples use.
/// </summary>
[Trait("Category", "Packaging")]
public sealed partial class SamplesFromPackagesTests(LocalFeedFixture feed, ITestOutputHelper output) : IClassFixture<LocalFeedFixture>
{
    [Theory]
    [MemberData(nameof(Samples))]
    public void TheSampleRunsOnThePackages(string name)
    {
        string app = File.ReadAllText(Path.Combine(feed.RepositoryRoot, "samples", name, "app.cs"));
        string packaged = ProjectDirective().Replace(app, m => $"#:package {m.Groups["id"].Value}@{feed.Version}");
        Assert.DoesNotContain("#:project", packaged, StringComparison.Ordinal);

        string folder = Path.Combine(feed.Root, "samples", name);
        string temp = Path.Combine(folder, "tmp");
        Directory.CreateDirectory(temp);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        feed.WriteNuGetConfig(folder);
        File.WriteAllText(Path.Combine(folder, "app.cs"), packaged);

        CommandResult run = DotnetCommand.Run(
            "dotnet", folder, LocalFeedFixture.CommandTimeout, new Dictionary<string, string?> { ["TMPDIR"] = temp, ["ANDES_HOME"] = Path.Combine(folder, "home"), ["ANDES_MODEL"] = null },
            "run", "-c", "Release", "--artifacts-path", Path.Combine(folder, "artifacts"), "app.cs"); // not the SDK's per-user cache: ~250 MB per app

        output.WriteLine($"{run.Elapsed.TotalSeconds,6:0.0} s  {run.Command} ({name}, restore and build included)");
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotMatch(@":\s+False\b", run.Output);
        Assert.Matches(@":\s+True\b|status: Completed|the plugin ran 1 time", run.Output);
    }

    /// <summary>The samples' folder names.</summary>
    public static TheoryData<string> Samples()
    {
        string root = LocalFeedFixture.FindRepositoryRoot();
        return new TheoryData<string>(Directory.GetDirectories(Path.Combine(root, "samples"))
            .Where(d => File.Exists(Path.Combine(d, "app.cs")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!);
    }

    [GeneratedRegex(@"^#:project\s+\S*?(?<id>Andes\.[A-Za-z0-9_.]+)\.csproj\s*$", RegexOptions.Multiline)]
    private static partial Regex ProjectDirective();
}
