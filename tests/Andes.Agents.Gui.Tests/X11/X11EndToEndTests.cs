using System.Runtime.Versioning;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.X11;

/// <summary>
/// The full loop against a real X client under Xvfb: X11 capture -> scripted IChatClient answering in AndesVL's box
/// format from the button's true location -> parse -> map -> XTest click; xmessage's exit code names the button.
/// </summary>
[Collection(X11Collection.Name)]
[SupportedOSPlatform("linux")]
public sealed class X11EndToEndTests(XvfbFixture x)
{
    private static readonly int[] ExitCodes = [11, 12, 13];

    private void SkipWithoutX() => Skip.If(x.SkipReason is not null, x.SkipReason);

    private static ScreenBox Box(ScreenRectangle r) => new(r.X, r.Y, r.Right, r.Bottom);

    /// <summary>
    /// A client that clicks the named button on whatever screenshot it gets, then says it is finished. As the Andes
    /// engine (<paramref name="asEngine"/>) it gets raw BGRA frames and checks the button's pixels in them.
    /// </summary>
    private static ScriptedChatClient ClickThenFinish(ScreenRectangle captureRegion, ScreenRectangle button, string label, bool asEngine = false)
    {
        int calls = 0;
        return new ScriptedChatClient((messages, _) =>
        {
            DataContent image = ScriptedChatClient.LastImage(messages);
            if (asEngine)
            {
                Assert.True(RawFrameContent.TryRead(image, out BgraImage? pixels));
                Assert.Equal((captureRegion.Width, captureRegion.Height), (pixels!.Width, pixels.Height));
                if (calls == 0)
                {
                    // xmessage's buttons are white with a black label: the frame holds the live screen's pixels.
                    var colours = new HashSet<BgraColor>();
                    for (int py = button.Y; py < button.Bottom; py++)
                    {
                        for (int px = button.X; px < button.Right; px++)
                        {
                            colours.Add(pixels.GetPixel(px - captureRegion.X, py - captureRegion.Y));
                        }
                    }

                    Assert.Contains(BgraColor.White, colours);
                    Assert.Contains(BgraColor.Black, colours);
                }
            }
            else
            {
                ImageInfo info = ImageInfo.Read(image.Data.Span);
                Assert.Equal((captureRegion.Width, captureRegion.Height), (info.Width, info.Height));
            }

            return calls++ == 0
                ? $"Thought: Click the {label} button.\nAction: click(start_box='{TestScreens.BoxAnswer(captureRegion, Box(button))}')"
                : "Thought: The dialog is gone.\nAction: finished(content='Clicked " + label + ".')";
        })
        {
            Metadata = asEngine ? new ChatClientMetadata(ImageTransportExtensions.AndesProviderName) : null,
        };
    }

    [SkippableFact]
    public void CaptureReadsTheRootWindowAndItsMonitors()
    {
        SkipWithoutX();
        using XMessageWindow window = XMessageWindow.Start(x, 40, 30);
        using X11ScreenCapture capture = X11ScreenCapture.Open(x.Display);
        MonitorInfo monitor = capture.GetPrimaryMonitor();
        Assert.Equal(new ScreenRectangle(0, 0, 1024, 768), capture.GetVirtualDesktopBounds());
        Assert.True(monitor.IsPrimary);
        Assert.Equal(1.0, monitor.ScaleFactor);

        ScreenFrame frame = capture.CaptureVirtualDesktop();
        Assert.Equal((1024, 768), (frame.Width, frame.Height));
        ScreenRectangle beta = window.Buttons["Beta"];

        // xmessage draws white buttons with black labels and borders: both colours occur inside the button, all opaque.
        var colours = new HashSet<BgraColor>();
        for (int py = beta.Y; py < beta.Bottom; py++)
        {
            for (int px = beta.X; px < beta.Right; px++)
            {
                colours.Add(frame.Image.GetPixel(px, py));
            }
        }

        Assert.Contains(BgraColor.White, colours);
        Assert.Contains(BgraColor.Black, colours);
        Assert.All(colours, c => Assert.Equal(255, c.A));

        // A sub-region capture returns exactly those pixels.
        ScreenFrame part = capture.Capture(beta);
        Assert.Equal(beta, part.Bounds);
        Assert.Equal(frame.Image.GetPixel(beta.X + 3, beta.Y + 4), part.Image.GetPixel(3, 4));
        Assert.Throws<ScreenCaptureException>(() => capture.Capture(new ScreenRectangle(1000, 700, 100, 100)));
    }

    [SkippableTheory]
    [InlineData("Beta", 0, 0, false, false)]
    [InlineData("Gamma", 300, 200, false, false)]
    [InlineData("Alpha", 520, 410, true, false)]
    [InlineData("Beta", 480, 380, true, true)]
    public async Task TheFullLoopClicksTheButtonTheModelPointsAt(string label, int left, int top, bool captureAMonitorRegion, bool rawFramesToTheEngine)
    {
        SkipWithoutX();
        using XMessageWindow window = XMessageWindow.Start(x, left, top);
        ScreenRectangle button = window.Buttons[label];

        // Either the whole screen or a "monitor" at an offset (so the mapping must add the region's origin).
        ScreenRectangle region = captureAMonitorRegion ? new ScreenRectangle(400, 300, 624, 468) : new ScreenRectangle(0, 0, 1024, 768);
        Assert.True(region.Contains(button));
        using X11ScreenCapture capture = X11ScreenCapture.Open(x.Display);
        using var kill = new KillSwitch();
        using var executor = new InputActionExecutor(X11InputDevice.Open(x.Display), kill);
        ScriptedChatClient client = ClickThenFinish(region, button, label, rawFramesToTheEngine);

        GuiAgentRunResult result = await new GuiAgent(client, capture, executor, new GuiAgentOptions
        {
            CaptureRegion = region,
            KillSwitch = kill,
            SettleDelay = TimeSpan.FromMilliseconds(200),
        }).RunAsync($"Click {label}");

        Assert.Equal(ExitCodes[Array.IndexOf(XMessageWindow.Labels, label)], window.WaitForExitCode());
        Assert.Equal(GuiAgentStatus.Completed, result.Status);
        ClickAction click = Assert.IsType<ClickAction>(result.Steps[0].Action);
        Assert.True(button.Contains(click.Position), $"{click.Position} is not on {label} {button}");
    }

    [SkippableFact]
    public async Task ADryRunSendsNoInputEvents()
    {
        SkipWithoutX();
        using XMessageWindow window = XMessageWindow.Start(x, 100, 100);
        using X11ScreenCapture capture = X11ScreenCapture.Open(x.Display);
        using var executor = new InputActionExecutor(X11InputDevice.Open(x.Display), timing: InputTimingOptions.None);
        await executor.ExecuteAsync(new MoveAction(new ScreenPoint(700.5, 500.5)));
        Assert.Equal((700, 500), capture.QueryPointer());

        var region = new ScreenRectangle(0, 0, 1024, 768);
        var dry = new DryRunExecutor();
        GuiAgentRunResult result = await new GuiAgent(ClickThenFinish(region, window.Buttons["Beta"], "Beta"), capture, dry, new GuiAgentOptions { SettleDelay = TimeSpan.Zero })
            .RunAsync("Click Beta");

        Assert.Equal(GuiAgentStatus.Completed, result.Status);
        Assert.IsType<ClickAction>(dry.Actions[0]);
        Assert.Equal((700, 500), capture.QueryPointer());
        Assert.False(window.Process.HasExited);

        // Had the dry run clicked Beta, xmessage would already have exited with 12; a real click on Gamma now gives 13.
        ScreenRectangle gamma = window.Buttons["Gamma"];
        await executor.ExecuteAsync(new ClickAction(ScreenPoint.FromPixel(gamma.X + gamma.Width / 2, gamma.Y + gamma.Height / 2)));
        Assert.Equal(13, window.WaitForExitCode());
    }

    [SkippableFact]
    public async Task AKillSwitchTrippedBeforeTheClickLeavesTheDialogAlone()
    {
        SkipWithoutX();
        using XMessageWindow window = XMessageWindow.Start(x, 0, 0);
        using X11ScreenCapture capture = X11ScreenCapture.Open(x.Display);
        using var kill = new KillSwitch();
        using var executor = new InputActionExecutor(X11InputDevice.Open(x.Display), kill, InputTimingOptions.None);
        await executor.ExecuteAsync(new MoveAction(new ScreenPoint(900.5, 700.5)));
        var region = new ScreenRectangle(0, 0, 1024, 768);
        ScriptedChatClient inner = ClickThenFinish(region, window.Buttons["Alpha"], "Alpha");
        var client = new ScriptedChatClient((messages, options) =>
        {
            kill.Trip("test stop");
            return inner.GetResponseAsync(messages, options).Result.Text;
        });

        GuiAgentRunResult result = await new GuiAgent(client, capture, executor, new GuiAgentOptions { KillSwitch = kill }).RunAsync("Click Alpha");
        Assert.Equal(GuiAgentStatus.KillSwitchTripped, result.Status);
        Assert.Equal((900, 700), capture.QueryPointer());
        Assert.False(window.Process.HasExited);
    }
}
