using System.Reflection;
using System.Security;

namespace Andes.Packaging.Tests;

/// <summary>
/// Packs every Andes package (the src projects as built for this test run, <c>dotnet pack --no-build</c>) into a local
/// feed under a fresh temporary folder, with a version unique to this run (<c>0.1.0-test.&lt;time&gt;.&lt;pid&gt;</c>) so a
/// copy cached by an earlier run is never used. On dispose it deletes the folder and this version's entries from the
/// global packages folder (which is otherwise reused, for speed).
/// </summary>
public sealed class LocalFeedFixture : IDisposable
{
    /// <summary>The ids of the packages <c>dotnet pack Andes.sln</c> makes.</summary>
    public static readonly IReadOnlyList<string> PackageIds = ["Andes.Abstractions", "Andes.GenAI", "Andes.ModelBuilder", "Andes.SemanticKernel", "Andes.Agents.Gui", "Andes.Agents.Gui.Evaluation", "Andes.Cli"];

    /// <summary>Time-out of each child process (restores may reach the network).</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Packs.</summary>
    public LocalFeedFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Root = Path.Combine(Path.GetTempPath(), "andes-packaging-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        Configuration = typeof(LocalFeedFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        GlobalPackagesFolder = FindGlobalPackagesFolder(RepositoryRoot);
        MachineSources = FindEnabledSources(RepositoryRoot);
        Pack = DotnetCommand.RunChecked("dotnet", RepositoryRoot, CommandTimeout,
            "pack", "Andes.sln", "-c", Configuration, "--no-build", "-o", Feed, "-p:Version=" + Version);
    }

    /// <summary>The repository's root folder (the one holding Andes.sln).</summary>
    public string RepositoryRoot { get; }

    /// <summary>The package version of this run.</summary>
    public string Version { get; }

    /// <summary>This run's temporary folder (feed, consumer project, tool path).</summary>
    public string Root { get; }

    /// <summary>The local feed (a folder of .nupkg/.snupkg files).</summary>
    public string Feed { get; }

    /// <summary>The build configuration packed (this test assembly's).</summary>
    public string Configuration { get; }

    /// <summary>The NuGet global packages folder.</summary>
    public string GlobalPackagesFolder { get; }

    /// <summary>The package sources enabled on this machine for the repository (<c>dotnet nuget list source</c>).</summary>
    public IReadOnlyList<string> MachineSources { get; }

    /// <summary>The pack command's result.</summary>
    internal CommandResult Pack { get; }

    /// <summary>Writes a nuget.config into <paramref name="directory"/>: the local feed first, then the machine's sources.</summary>
    /// <param name="directory">The folder.</param>
    public void WriteNuGetConfig(string directory)
    {
        var lines = new List<string>
        {
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<configuration>",
            "  <packageSources>",
            "    <clear />",
            $"    <add key=\"andes-local\" value=\"{SecurityElement.Escape(Feed)}\" />",
        };
        for (int i = 0; i < MachineSources.Count; i++)
        {
            lines.Add($"    <add key=\"machine-{i}\" value=\"{SecurityElement.Escape(MachineSources[i])}\" />");
        }

        lines.Add("  </packageSources>");
        lines.Add("</configuration>");
        File.WriteAllLines(Path.Combine(directory, "nuget.config"), lines);
    }

    /// <summary>Deletes the temporary folder and this run's packages from the global packages folder.</summary>
    public void Dispose()
    {
        foreach (string id in PackageIds)
        {
            string idFolder = Path.Combine(GlobalPackagesFolder, id.ToLowerInvariant());
            TryDelete(Path.Combine(idFolder, Version.ToLowerInvariant()));
            if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
            {
                TryDelete(idFolder);
            }
        }

        TryDelete(Root);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS's temp clean-up; a unique version never collides with it.
        }
    }

    /// <summary>The folder holding Andes.sln above this test assembly.</summary>
    internal static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Andes.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Andes.sln above {AppContext.BaseDirectory}.");
    }

    private static string FindGlobalPackagesFolder(string workingDirectory)
    {
        // "global-packages: /root/.nuget/packages/"
        CommandResult result = DotnetCommand.RunChecked("dotnet", workingDirectory, CommandTimeout, "nuget", "locals", "global-packages", "--list");
        string line = result.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line["global-packages:".Length..].Trim();
    }

    private static List<string> FindEnabledSources(string workingDirectory)
    {
        // "E https://api.nuget.org/v3/index.json" (E = enabled, D = disabled)
        CommandResult result = DotnetCommand.RunChecked("dotnet", workingDirectory, CommandTimeout, "nuget", "list", "source", "--format", "short");
        return result.Output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .ToList();
    }
}
