using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.X11;

/// <summary>
/// An X server for the X11 tests: a private Xvfb (1024x768x24) on a free display when Xvfb is installed, otherwise the
/// session's $DISPLAY. When neither works, <see cref="SkipReason"/> says why and the tests skip.
/// </summary>
public sealed class XvfbFixture : IDisposable
{
    private readonly Process? _xvfb;

    public XvfbFixture()
    {
        if (!OperatingSystem.IsLinux())
        {
            SkipReason = "X11 tests run on Linux only.";
            return;
        }

        string? xvfb = FindExecutable("Xvfb");
        if (xvfb is not null)
        {
            for (int attempt = 0; attempt < 5 && Display is null; attempt++)
            {
                int number = FreeDisplayNumber();
                var process = Process.Start(new ProcessStartInfo(xvfb)
                {
                    ArgumentList = { ":" + number.ToString(CultureInfo.InvariantCulture), "-screen", "0", "1024x768x24", "-nolisten", "tcp" },
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                })!;
                process.ErrorDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                string name = ":" + number.ToString(CultureInfo.InvariantCulture);
                if (WaitForDisplay(name, process))
                {
                    _xvfb = process;
                    Display = name;
                }
                else
                {
                    Stop(process);
                }
            }

            if (Display is null)
            {
                SkipReason = "Xvfb is installed but did not start (see .ci/install-x11.sh).";
            }
        }
        else if (Environment.GetEnvironmentVariable("DISPLAY") is { Length: > 0 } display && CanOpen(display))
        {
            Display = display;
        }
        else
        {
            SkipReason = "No X server: Xvfb is not installed and $DISPLAY is not usable (run .ci/install-x11.sh).";
        }

        if (Display is not null)
        {
            foreach (string tool in new[] { "xmessage", "xwininfo", "xdotool" })
            {
                if (FindExecutable(tool) is null)
                {
                    SkipReason = $"{tool} is not installed (run .ci/install-x11.sh).";
                }
            }
        }
    }

    /// <summary>The display name (e.g. ":93"), or null.</summary>
    public string? Display { get; }

    /// <summary>Why the X11 tests cannot run, or null.</summary>
    public string? SkipReason { get; private set; }

    public void Dispose()
    {
        if (_xvfb is not null)
        {
            Stop(_xvfb);
        }
    }

    /// <summary>Runs a tool against the display and returns its standard output.</summary>
    public string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(FindExecutable(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DISPLAY"] = Display;
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(20_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return output;
    }

    /// <summary>Starts an X client on the display.</summary>
    public Process Start(string tool, params string[] arguments) => StartWith(null, tool, arguments);

    /// <summary>Starts an X client on the display with extra environment variables.</summary>
    public Process StartWith(IReadOnlyDictionary<string, string>? environment, string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(FindExecutable(tool) ?? tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DISPLAY"] = Display;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    internal static string? FindExecutable(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static int FreeDisplayNumber()
    {
        int start = 90 + Random.Shared.Next(0, 400);
        for (int n = start; n < start + 200; n++)
        {
            string s = n.ToString(CultureInfo.InvariantCulture);
            if (!File.Exists($"/tmp/.X{s}-lock") && !File.Exists($"/tmp/.X11-unix/X{s}"))
            {
                return n;
            }
        }

        return start;
    }

    [SupportedOSPlatform("linux")]
    private static bool WaitForDisplay(string name, Process process)
    {
        for (int i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                return false;
            }

            if (CanOpen(name))
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    [SupportedOSPlatform("linux")]
    private static bool CanOpen(string name)
    {
        try
        {
            using X11ScreenCapture capture = X11ScreenCapture.Open(name);
            return true;
        }
        catch (ScreenCaptureException)
        {
            return false;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class X11Collection : ICollectionFixture<XvfbFixture>
{
    public const string Name = "X11";
}
