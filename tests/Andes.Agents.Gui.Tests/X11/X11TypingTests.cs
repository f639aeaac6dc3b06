using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.X11;

/// <summary>XTest keyboard input checked with <c>xev</c>, which prints every key event it receives.</summary>
[Collection(X11Collection.Name)]
[SupportedOSPlatform("linux")]
public sealed partial class X11TypingTests(XvfbFixture x)
{
    [SkippableFact]
    public async Task TypesAsciiAndUnicodeTextAndHotkeys()
    {
        Skip.If(x.SkipReason is not null, x.SkipReason);
        Skip.If(XvfbFixture.FindExecutable("xev") is null, "xev is not installed (x11-utils).");
        // A UTF-8 locale so xev reports non-ASCII characters as UTF-8 whatever the test host's locale is.
        using System.Diagnostics.Process xev = x.StartWith(new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8" }, "xev", "-geometry", "300x200+600+400", "-event", "keyboard", "-name", "andes-typing");
        var output = new StringBuilder();
        xev.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        xev.BeginOutputReadLine();
        try
        {
            x.Run("xdotool", "search", "--sync", "--name", "andes-typing");
            using var executor = new InputActionExecutor(X11InputDevice.Open(x.Display), timing: InputTimingOptions.None);

            // No window manager: keyboard focus follows the pointer (PointerRoot), so park the pointer on xev.
            await executor.ExecuteAsync(new MoveAction(new ScreenPoint(700, 500)));
            await executor.ExecuteAsync(new TypeTextAction("Hi, wörld €5+ß"));
            await executor.ExecuteAsync(new HotkeyAction(KeyChord.Parse("ctrl+a")));
            await executor.ExecuteAsync(new TypeTextAction("\n"));

            string typed = string.Empty;
            for (int i = 0; i < 100 && !typed.EndsWith('\r'); i++)
            {
                await Task.Delay(50);
                lock (output)
                {
                    typed = Typed(output.ToString());
                }
            }

            // Ctrl+A arrives as the control character 0x01 between the text and the Return.
            Assert.Equal("Hi, wörld €5+ß\u0001\r", typed);
        }
        finally
        {
            xev.Kill();
            xev.WaitForExit(5000);
        }
    }

    /// <summary>The characters of the KeyPress events in xev's output, in order.</summary>
    private static string Typed(string log)
    {
        var text = new StringBuilder();
        foreach (string block in log.Split("\n\n"))
        {
            if (!block.Contains("KeyPress event", StringComparison.Ordinal))
            {
                continue;
            }

            Match m = LookupBytes().Match(block);
            if (m.Success && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                byte[] bytes = [.. m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16))];
                text.Append(Encoding.UTF8.GetString(bytes));
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"XLookupString gives (\d+) bytes: \(([0-9a-f ]+)\)")]
    private static partial Regex LookupBytes();
}
