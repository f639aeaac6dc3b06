using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Andes.Samples.Tests;

/// <summary>Runs the notebook runner and the samples' file-based apps as child processes, with a clean environment.</summary>
internal static class SampleProcess
{
    /// <summary>The repository root (samples/, notebooks/).</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration these tests were built in (the apps build their project references in it too).</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="temp">The child's temporary folder (TMPDIR).</param>
    /// <param name="andesHome">The child's ANDES_HOME, where the samples write (instead of the user's ~/.andes).</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="args">The arguments of <c>dotnet</c>.</param>
    /// <returns>The exit code, the interleaved output and the time it took.</returns>
    public static (int ExitCode, string Output, TimeSpan Elapsed) RunDotnet(string workingDirectory, string temp, string andesHome, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The test host's MSBuild and test-platform variables must not leak into a child build; nothing may outlive it
        // (node reuse and compiler servers would hold the output pipes open); the samples use the generated tiny model.
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment.Remove("ANDES_MODEL");
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["TMPDIR"] = temp;
        info.Environment["ANDES_HOME"] = andesHome;
        info.Environment["NO_COLOR"] = "1";

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:F0} minutes:{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString(), stopwatch.Elapsed);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
