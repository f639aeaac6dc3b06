using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;

namespace Andes.Agents.Gui.Tests.Actions;

public sealed class InputActionExecutorTests
{
    private static (InputActionExecutor Executor, RecordingInputDevice Device) Create(KillSwitch? killSwitch = null)
    {
        var device = new RecordingInputDevice();
        return (new InputActionExecutor(device, killSwitch, InputTimingOptions.None), device);
    }

    [Fact]
    public async Task ActionsBecomeEventSequences()
    {
        (InputActionExecutor executor, RecordingInputDevice device) = Create();
        await executor.ExecuteAsync(new ClickAction(new ScreenPoint(-10.7, 20.2)));
        await executor.ExecuteAsync(new DoubleClickAction(new ScreenPoint(1, 2)));
        await executor.ExecuteAsync(new RightClickAction(new ScreenPoint(3, 4)));
        await executor.ExecuteAsync(new TypeTextAction("a😀\n"));
        await executor.ExecuteAsync(new HotkeyAction(KeyChord.Parse("ctrl shift t")));
        await executor.ExecuteAsync(new ScrollAction(new ScreenPoint(5, 6), ScrollDirection.Down, 2));
        await executor.ExecuteAsync(new DoneAction());
        Assert.Equal(
            [
                "move -11,20", "down Left", "up Left",
                "move 1,2", "down Left", "up Left", "down Left", "up Left",
                "move 3,4", "down Right", "up Right",
                "char a", "char 😀", "char \n",
                "keydown ctrl", "keydown shift", "keydown t", "keyup t", "keyup shift", "keyup ctrl",
                "move 5,6", "wheel Down", "wheel Down",
            ],
            device.Events);
        Assert.Equal(device.Events.Count, executor.EventCount);
    }

    [Fact]
    public async Task DragInterpolatesAndReleases()
    {
        (InputActionExecutor executor, RecordingInputDevice device) = Create();
        await executor.ExecuteAsync(new DragAction(new ScreenPoint(0, 0), new ScreenPoint(40, 80)));
        Assert.Equal(["move 0,0", "down Left", "move 10,20", "move 20,40", "move 30,60", "move 40,80", "up Left"], device.Events);
    }

    [Fact]
    public async Task ATrippedKillSwitchStopsBeforeTheFirstEvent()
    {
        using var kill = new KillSwitch();
        (InputActionExecutor executor, RecordingInputDevice device) = Create(kill);
        kill.Trip("user pressed stop");
        var e = await Assert.ThrowsAsync<KillSwitchTrippedException>(() => executor.ExecuteAsync(new ClickAction(new ScreenPoint(1, 1))));
        Assert.Equal("user pressed stop", e.Reason);
        Assert.Empty(device.Events);
    }

    [Fact]
    public async Task TrippingMidActionStopsAtTheNextEventAndReleasesHeldKeys()
    {
        using var kill = new KillSwitch();
        (InputActionExecutor executor, RecordingInputDevice device) = Create(kill);
        device.OnEvent = e =>
        {
            if (e == "keydown shift")
            {
                kill.Trip("watchdog");
            }
        };
        await Assert.ThrowsAsync<KillSwitchTrippedException>(() => executor.ExecuteAsync(new HotkeyAction(KeyChord.Parse("ctrl shift t"))));
        Assert.Equal(["keydown ctrl", "keydown shift", "keyup shift", "keyup ctrl"], device.Events);

        device.Events.Clear();
        kill.Reset();
        device.OnEvent = e =>
        {
            if (e == "char b")
            {
                kill.Trip("stop typing");
            }
        };
        await Assert.ThrowsAsync<KillSwitchTrippedException>(() => executor.ExecuteAsync(new TypeTextAction("abcdef")));
        Assert.Equal(["char a", "char b"], device.Events);
    }

    [Fact]
    public async Task TrippingDuringADragReleasesTheButton()
    {
        using var kill = new KillSwitch();
        (InputActionExecutor executor, RecordingInputDevice device) = Create(kill);
        device.OnEvent = e =>
        {
            if (e == "move 10,20")
            {
                kill.Trip("x");
            }
        };
        await Assert.ThrowsAsync<KillSwitchTrippedException>(() => executor.ExecuteAsync(new DragAction(new ScreenPoint(0, 0), new ScreenPoint(40, 80))));
        Assert.Equal(["move 0,0", "down Left", "move 10,20", "up Left"], device.Events);
    }

    [Fact]
    public async Task AKillSwitchEndsAWaitAtOnce()
    {
        using var kill = new KillSwitch();
        var device = new RecordingInputDevice();
        var executor = new InputActionExecutor(device, kill, InputTimingOptions.None);
        Task wait = executor.ExecuteAsync(new WaitAction(TimeSpan.FromMinutes(10)));
        kill.Trip("stop");
        await Assert.ThrowsAsync<KillSwitchTrippedException>(() => wait);
    }

    [Fact]
    public async Task CancellationIsHonoured()
    {
        (InputActionExecutor executor, RecordingInputDevice device) = Create();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => executor.ExecuteAsync(new ClickAction(default), cts.Token));
        Assert.Empty(device.Events);
    }

    [Fact]
    public async Task DryRunRecordsAndSendsNothing()
    {
        using var kill = new KillSwitch();
        var logged = new List<string>();
        var dry = new DryRunExecutor(kill, a => logged.Add(a.Describe()));
        Assert.False(dry.SendsInput);
        await dry.ExecuteAsync(new ClickAction(new ScreenPoint(1, 2)));
        await dry.ExecuteAsync(new WaitAction(TimeSpan.FromHours(1)));
        Assert.Equal(2, dry.Actions.Count);
        Assert.Equal("click screen(1, 2)", logged[0]);
        kill.Trip();
        await Assert.ThrowsAsync<KillSwitchTrippedException>(() => dry.ExecuteAsync(new ClickAction(default)));
    }

    [Fact]
    public void KillSwitchKeepsTheFirstReasonAndResets()
    {
        using var kill = new KillSwitch();
        int raised = 0;
        kill.Tripped += (_, _) => raised++;
        CancellationToken token = kill.Token;
        kill.Trip("first");
        kill.Trip("second");
        Assert.True(kill.IsTripped);
        Assert.Equal("first", kill.Reason);
        Assert.True(token.IsCancellationRequested);
        Assert.Equal(1, raised);
        kill.Reset();
        Assert.False(kill.IsTripped);
        Assert.False(kill.Token.IsCancellationRequested);
        kill.ThrowIfTripped();
    }
}
