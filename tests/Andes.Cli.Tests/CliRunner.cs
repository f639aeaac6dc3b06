using System.Diagnostics;

namespace Andes.Cli.Tests;

/// <summary>Runs the built <c>andes</c> command as a child process and captures its output.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Starts the command and kills it (SIGKILL, no clean-up) after <paramref name="delay"/>, or lets it finish first.</summary>
    /// <returns>Whether it was killed (false: it had already exited).</returns>
    public static bool RunAndKill(TimeSpan delay, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "andes.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        using Process process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (process.WaitForExit(delay))
        {
            return false;
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return true;
    }

    /// <summary>Runs the command with <paramref name="input"/> as its standard input (then closed).</summary>
    public static (int ExitCode, string Output, string Error) RunWithInput(string? input, params string[] args) => Run(input, null, args);

    /// <summary>
    /// Runs the command with environment variables set (a null value removes the variable, so a developer's own
    /// <c>HF_TOKEN</c> or <c>ANDES_HOME</c> cannot leak into a test).
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunWithEnvironment(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(null, environment, args);

    private static (int ExitCode, string Output, string Error) Run(string? input, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "andes.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "200";
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
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
        using Process process = Process.Start(info)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"andes {string.Join(' ', args)} did not finish in 3 minutes.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
