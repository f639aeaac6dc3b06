using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.X11;

/// <summary>
/// <c>xmessage -buttons Alpha:11,Beta:12,Gamma:13 "Pick one"</c> on the test display, with its buttons' true desktop
/// rectangles read from the X server (<c>xwininfo -tree</c>): the bottom row of the window's widgets, left to right.
/// </summary>
internal sealed partial class XMessageWindow : IDisposable
{
    private XMessageWindow(Process process, IReadOnlyDictionary<string, ScreenRectangle> buttons)
    {
        Process = process;
        Buttons = buttons;
    }

    public static readonly string[] Labels = ["Alpha", "Beta", "Gamma"];

    public Process Process { get; }

    public IReadOnlyDictionary<string, ScreenRectangle> Buttons { get; }

    public static XMessageWindow Start(XvfbFixture x, int left = 0, int top = 0)
    {
        string title = "andes-test-" + Guid.NewGuid().ToString("N")[..8];
        Process process = x.Start("xmessage", "-title", title, "-geometry", $"+{left}+{top}", "-buttons", "Alpha:11,Beta:12,Gamma:13", "Pick one");
        try
        {
            string id = x.Run("xdotool", "search", "--sync", "--name", title).Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
            Dictionary<string, ScreenRectangle>? buttons = null;
            for (int attempt = 0; attempt < 50 && buttons is null; attempt++)
            {
                buttons = ReadButtons(x.Run("xwininfo", "-tree", "-id", id));
                if (buttons is null)
                {
                    Thread.Sleep(100);
                }
            }

            return new XMessageWindow(process, buttons ?? throw new InvalidOperationException("xmessage's buttons did not appear."));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>Parses "0x200037 (has no name): ()  36x17+53+29  +54+30" lines and keeps the bottom row of three.</summary>
    internal static Dictionary<string, ScreenRectangle>? ReadButtons(string tree)
    {
        var windows = new List<ScreenRectangle>();
        foreach (Match m in WindowLine().Matches(tree))
        {
            int I(string g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            windows.Add(new ScreenRectangle(I("ax"), I("ay"), I("w"), I("h")));
        }

        var rows = windows.GroupBy(w => (w.Y, w.Height)).Where(g => g.Count() == Labels.Length).OrderByDescending(g => g.Key.Y).ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        ScreenRectangle[] ordered = [.. rows[0].OrderBy(w => w.X)];
        return Labels.Select((label, i) => (label, ordered[i])).ToDictionary(p => p.label, p => p.Item2);
    }

    public int WaitForExitCode()
    {
        if (!Process.WaitForExit(20_000))
        {
            throw new TimeoutException("xmessage did not exit: no button was clicked.");
        }

        return Process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"0x[0-9a-f]+ [^\n]*?\s(?<w>\d+)x(?<h>\d+)[+-]-?\d+[+-]-?\d+\s+\+(?<ax>-?\d+)\+(?<ay>-?\d+)")]
    private static partial Regex WindowLine();
}
