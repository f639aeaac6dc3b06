using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Agent;

public sealed class GuiAgentTests
{
    private static readonly ScreenRectangle Primary = new(0, 0, 800, 600);

    private static GuiAgentOptions Options(Action<GuiAgentOptions>? configure = null)
    {
        var options = new GuiAgentOptions { SettleDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    private static string Click(ScreenBox box, string thought = "Click the OK button")
        => $"Thought: {thought}\nAction: click(start_box='{TestScreens.BoxAnswer(Primary, box)}')";

    [Fact]
    public async Task RunsUntilFinishedSendingScreenshotsAndHistory()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var target = new ScreenBox(300, 400, 380, 430);
        var client = new ScriptedChatClient(Click(target), "Thought: done\nAction: finished(content='Clicked OK.')");
        var dry = new DryRunExecutor();
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options(o => o.SkillName = "gui")).RunAsync("Press OK");

        Assert.Equal(GuiAgentStatus.Completed, result.Status);
        Assert.Equal("Clicked OK.", result.Message);
        Assert.Equal(2, result.Steps.Count);
        ClickAction click = Assert.IsType<ClickAction>(dry.Actions[0]);
        Assert.InRange(click.Position.X, 300, 380);
        Assert.InRange(click.Position.Y, 400, 430);
        Assert.IsType<DoneAction>(dry.Actions[1]);
        Assert.Equal("Click the OK button", result.Steps[0].Thought);
        Assert.Equal(StepOutcome.Executed, result.Steps[0].Outcome);

        // Step 1: system + user(screenshot, task). Step 2: ... assistant(answer 1), user(screenshot, observation).
        (IReadOnlyList<ChatMessage> first, ChatOptions? options) = client.Requests[0];
        Assert.Equal(2, first.Count);
        Assert.Contains("Task: Press OK", first[1].Text, StringComparison.Ordinal);
        Assert.Equal("image/png", ScriptedChatClient.LastImage(first).MediaType);
        Assert.Equal(Andes.Agents.Gui.GuiSkill.DefaultName, options.GetSkill());
        IReadOnlyList<ChatMessage> second = client.Requests[1].Messages;
        Assert.Equal(ChatRole.Assistant, second[2].Role);
        Assert.Contains("Done: click", second[3].Text, StringComparison.Ordinal);
        Assert.Single(second[3].Contents.OfType<DataContent>());
        Assert.Equal(2, screen.CaptureCount);
    }

    [Fact]
    public async Task CapturesTheConfiguredMonitorAndMapsOntoIt()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var left = new ScreenRectangle(-640, 60, 640, 480);
        var target = new ScreenBox(-600, 500, -560, 520);
        var client = new ScriptedChatClient(
            $"Thought: x\nAction: click(start_box='{TestScreens.BoxAnswer(left, target)}')",
            "Action: finished()");
        var dry = new DryRunExecutor();
        await new GuiAgent(client, screen, dry, Options(o => o.CaptureRegion = left)).RunAsync("t");
        ClickAction click = Assert.IsType<ClickAction>(dry.Actions[0]);
        Assert.InRange(click.Position.X, -600, -560);
        Assert.InRange(click.Position.Y, 500, 520);
    }

    [Fact]
    public async Task OutOfRangeAnswersAreNeverExecutedAndTheModelIsTold()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient(
            "Thought: x\nAction: click(start_box='(1500,200)')",
            "I think it is the OK button",
            "Action: finished()");
        var dry = new DryRunExecutor();
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options()).RunAsync("t");
        Assert.Equal(GuiAgentStatus.Completed, result.Status);
        Assert.Equal([StepOutcome.Rejected, StepOutcome.Rejected, StepOutcome.Executed], result.Steps.Select(s => s.Outcome));
        Assert.Contains("1500", result.Steps[0].Detail, StringComparison.Ordinal);
        Assert.IsType<DoneAction>(Assert.Single(dry.Actions));
        Assert.Contains("rejected", client.Requests[1].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivesUpAfterTooManyRejectedAnswers()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient((_, _) => "no idea");
        var dry = new DryRunExecutor();
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options(o => o.MaxConsecutiveRejections = 2)).RunAsync("t");
        Assert.Equal(GuiAgentStatus.TooManyRejectedAnswers, result.Status);
        Assert.Equal(2, result.Steps.Count);
        Assert.Empty(dry.Actions);
    }

    [Fact]
    public async Task ThePolicyBlocksClicksOutsideTheAllowedRegion()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient(Click(new ScreenBox(700, 500, 760, 540)), "Action: finished()");
        var dry = new DryRunExecutor();
        var policy = new SafetyPolicy(new SafetyPolicyOptions { AllowedRegion = new ScreenRectangle(0, 0, 400, 300) });
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options(o => o.SafetyPolicy = policy)).RunAsync("t");
        Assert.Equal(StepOutcome.Blocked, result.Steps[0].Outcome);
        Assert.Equal(SafetyVerdict.Block, result.Steps[0].Verdict);
        Assert.Contains("outside the allowed region", result.Steps[0].Detail, StringComparison.Ordinal);
        Assert.IsType<DoneAction>(Assert.Single(dry.Actions));
        Assert.Contains("blocked", client.Requests[1].Messages[^1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SensitiveClicksAskForConfirmation(bool confirmed)
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient(Click(new ScreenBox(100, 100, 160, 130), "Click the Send button to send the email"), "Action: finished()");
        var dry = new DryRunExecutor();
        var asked = new List<ConfirmationRequest>();
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options(o => o.Confirm = (request, _) =>
        {
            asked.Add(request);
            return ValueTask.FromResult(confirmed);
        })).RunAsync("Send the email");

        ConfirmationRequest request = Assert.Single(asked);
        Assert.IsType<ClickAction>(request.Action);
        Assert.Contains("'Send'", request.Reason, StringComparison.Ordinal);
        Assert.Equal(confirmed ? StepOutcome.Executed : StepOutcome.Declined, result.Steps[0].Outcome);
        Assert.Equal(SafetyVerdict.RequireConfirmation, result.Steps[0].Verdict);
        Assert.Equal(confirmed ? 2 : 1, dry.Actions.Count);
    }

    [Fact]
    public async Task SensitiveActionsAreDeclinedWhenNobodyCanConfirm()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient(
            Click(new ScreenBox(100, 100, 160, 130), "Click the password field"),
            "Thought: type it\nAction: type(content='hunter2')",
            "Action: finished()");
        var dry = new DryRunExecutor();
        GuiAgentRunResult result = await new GuiAgent(client, screen, dry, Options()).RunAsync("Log in");
        Assert.Equal([StepOutcome.Executed, StepOutcome.Declined, StepOutcome.Executed], result.Steps.Select(s => s.Outcome));
        Assert.Contains("secret", result.Steps[1].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(dry.Actions, a => a is TypeTextAction);
    }

    [Fact]
    public async Task TheKillSwitchStopsTheRun()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        using var kill = new KillSwitch();
        var device = new RecordingInputDevice();
        using var executor = new InputActionExecutor(device, kill, InputTimingOptions.None, ownsDevice: false);
        var client = new ScriptedChatClient((_, _) =>
        {
            kill.Trip("user hit stop");
            return Click(new ScreenBox(100, 100, 160, 130));
        });
        GuiAgentRunResult result = await new GuiAgent(client, screen, executor, Options(o => o.KillSwitch = kill)).RunAsync("t");
        Assert.Equal(GuiAgentStatus.KillSwitchTripped, result.Status);
        Assert.Equal("user hit stop", result.Message);
        Assert.Equal(StepOutcome.Stopped, Assert.Single(result.Steps).Outcome);
        Assert.Empty(device.Events);
        Assert.Single(client.Requests);

        // A tripped switch stops the next run before the first screenshot.
        GuiAgentRunResult again = await new GuiAgent(client, screen, executor, Options(o => o.KillSwitch = kill)).RunAsync("t");
        Assert.Equal(GuiAgentStatus.KillSwitchTripped, again.Status);
        Assert.Empty(again.Steps);
    }

    [Fact]
    public async Task StepLimitAndCancellation()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        var client = new ScriptedChatClient((_, _) => "Action: wait()");
        GuiAgentRunResult result = await new GuiAgent(client, screen, new DryRunExecutor(), Options(o => o.MaxSteps = 3)).RunAsync("t");
        Assert.Equal(GuiAgentStatus.StepLimitReached, result.Status);
        Assert.Equal(3, result.Steps.Count);

        using var cts = new CancellationTokenSource();
        var cancelling = new ScriptedChatClient((_, _) =>
        {
            cts.Cancel();
            return "Action: wait()";
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new GuiAgent(cancelling, screen, new DryRunExecutor(), Options()).RunAsync("t", cts.Token));
    }

    [Fact]
    public async Task TrajectoriesAreRecordedAndReplayInDryRun()
    {
        string dir = Path.Combine(Path.GetTempPath(), "andes-traj-" + Guid.NewGuid().ToString("N"));
        try
        {
            using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
            var target = new ScreenBox(300, 400, 380, 430);
            var client = new ScriptedChatClient(
                Click(target),
                "Action: click(start_box='(2000,1)')",
                "Thought: scroll\nAction: scroll(start_box='(500,500)', direction='down')\ntype(content='héllo\\n')",
                "Action: finished(content='ok')");
            var dry = new DryRunExecutor();
            GuiAgentRunResult result;
            using (var recorder = new TrajectoryRecorder(dir))
            {
                result = await new GuiAgent(client, screen, dry, Options(o => o.Recorder = recorder)).RunAsync("Press OK <now>");
            }

            Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, TrajectoryRecorder.StepsFileName)).Length);
            IReadOnlyList<TrajectoryStep> steps = TrajectoryReplayer.ReadSteps(dir);
            Assert.Equal(result.Steps, steps);
            Assert.Equal(StepOutcome.Rejected, steps[1].Outcome);
            Assert.Null(steps[1].Action);

            TrajectoryRun run = TrajectoryReplayer.ReadRun(dir);
            Assert.Equal(("Press OK <now>", GuiAgentStatus.Completed, true), (run.Task, run.Status!.Value, run.DryRun));

            // The files' JSON: snake_case names and enum values, actions tagged by "type", text unescaped, nulls left out.
            string stepsJson = File.ReadAllText(Path.Combine(dir, TrajectoryRecorder.StepsFileName));
            Assert.Contains("\"outcome\":\"executed\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"outcome\":\"rejected\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"verdict\":\"allow\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"type\":\"scroll\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"direction\":\"down\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"text\":\"h\u00e9llo\\n\"", stepsJson, StringComparison.Ordinal);
            Assert.Contains("\"frame_bounds\":{", stepsJson, StringComparison.Ordinal);
            Assert.DoesNotContain(":null", stepsJson, StringComparison.Ordinal);
            string runJson = File.ReadAllText(Path.Combine(dir, TrajectoryRecorder.RunFileName));
            Assert.Contains("\"status\":\"completed\"", runJson, StringComparison.Ordinal);
            Assert.Contains("\"dry_run\":true", runJson, StringComparison.Ordinal);

            string html = File.ReadAllText(Path.Combine(dir, TrajectoryRecorder.ReportFileName));
            Assert.Contains("Press OK &lt;now&gt;", html, StringComparison.Ordinal);
            Assert.Contains("step-001.png", html, StringComparison.Ordinal);

            // The screenshot shows the target box in red.
            BgraImage png = PngDecoder.DecodeFile(Path.Combine(dir, steps[0].Screenshot!));
            Assert.Equal((800, 600), (png.Width, png.Height));
            int redAt(int x, int y) => png.GetPixel(x, y) is { R: 255, G: 0, B: 0 } ? 1 : 0;
            Assert.Equal(1, redAt(299, 415));
            Assert.Equal(0, redAt(340, 415) + redAt(100, 100));

            // Replaying sends the executed actions, in order, to a dry run.
            var replay = new DryRunExecutor();
            IReadOnlyList<GuiAction> replayed = await TrajectoryReplayer.ReplayAsync(dir, replay);
            Assert.Equal(dry.Actions, replayed);
            Assert.Equal(dry.Actions, replay.Actions);
            Assert.Equal("héllo\n", Assert.IsType<TypeTextAction>(replayed[2]).Text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
