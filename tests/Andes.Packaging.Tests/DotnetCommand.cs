using System.Diagnostics;
using System.Text;

namespace Andes.Packaging.Tests;

/// <summary>Runs a command (usually <c>dotnet</c>) as a child process, isolated from the test host's MSBuild state.</summary>
internal static class DotnetCommand
{
    /// <summary>Runs <paramref name="fileName"/> and returns its exit code and output; throws on a time-out.</summary>
    public static CommandResult Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
        => Run(fileName, workingDirectory, timeout, new Dictionary<string, string?>(), args);

    /// <summary>Runs <paramref name="fileName"/> with extra environment variables (a null value removes one).</summary>
    public static CommandResult Run(string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // `dotnet test` runs us with MSBuild's variables set (MSBuildExtensionsPath, MSBUILD_EXE_PATH, ...); a child
        // build must find its own SDK, so drop them.
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        // No MSBuild nodes, build server or compiler server left behind holding our output pipes open.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["NO_COLOR"] = "1";
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(fileName, args)} did not finish in {timeout.TotalMinutes:0} minutes.");
        }

        process.WaitForExit();
        return new CommandResult(Describe(fileName, args), process.ExitCode, stdout.Result, stderr.Result, stopwatch.Elapsed);
    }

    /// <summary>Runs the command and throws, with its whole output, unless it exits with 0.</summary>
    public static CommandResult RunChecked(string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        CommandResult result = Run(fileName, workingDirectory, timeout, args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }

        return result;
    }

    private static string Describe(string fileName, string[] args)
    {
        var text = new StringBuilder(Path.GetFileName(fileName));
        foreach (string arg in args)
        {
            text.Append(' ').Append(arg.Contains(' ', StringComparison.Ordinal) ? $"\"{arg}\"" : arg);
        }

        return text.ToString();
    }
}
