using System.Diagnostics;
using System.Text;

namespace Andes.Cli.Tests;

/// <summary>
/// The built <c>andes</c> command running as a child process with its input open, for interactive commands: write
/// lines, wait for output, send a signal (Linux), wait for the exit.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();

    public CliSession(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "andes.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "200";
        _process = Process.Start(info)!;
        _ = PumpAsync(_process.StandardOutput, _output);
        _ = PumpAsync(_process.StandardError, _error);
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until standard output satisfies <paramref name="condition"/>; fails with what was written after <paramref name="timeout"/>.</summary>
    public void WaitForOutput(Func<string, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Output))
        {
            if (clock.Elapsed > timeout || _process.HasExited && !condition(Output))
            {
                throw new TimeoutException($"The expected output did not come (exited: {_process.HasExited}).\nstdout:\n{Output}\nstderr:\n{Error}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using Process kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"andes did not exit.\nstdout:\n{Output}\nstderr:\n{Error}");
        }

        _process.WaitForExit(); // the output pumps finish
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_lock)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
