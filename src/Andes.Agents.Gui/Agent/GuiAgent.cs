using System.Globalization;
using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// The GUI agent loop: screenshot -> model -> parse -> map -> safety policy (-> confirmation) -> execute -> repeat,
/// until the model says it is finished, the step limit is reached, the kill switch trips or the run is cancelled.
/// </summary>
/// <remarks>
/// <para>Answers that do not parse or whose coordinates are out of range or off the screenshot are never executed:
/// the step is recorded as rejected and the model is told why. Blocked and declined actions are recorded and reported
/// back too. Every step is recorded when a <see cref="GuiAgentOptions.Recorder"/> is set.</para>
/// <para>The target description the safety policy sees is the model's thought for the step; typing is checked against
/// the thought of the last click (the focused field). Cancellation throws <see cref="OperationCanceledException"/>;
/// a kill switch ends the run with <see cref="GuiAgentStatus.KillSwitchTripped"/>. One run at a time per instance.</para>
/// </remarks>
public sealed class GuiAgent
{
    private readonly IChatClient _client;
    private readonly IScreenCapture _capture;
    private readonly IActionExecutor _executor;
    private readonly GuiAgentOptions _options;
    private readonly ImageTransport _transport;

    /// <summary>Creates an agent.</summary>
    /// <param name="client">The vision-language model.</param>
    /// <param name="capture">The screen.</param>
    /// <param name="executor">Where actions go (real input, or a <see cref="DryRunExecutor"/>).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public GuiAgent(IChatClient client, IScreenCapture capture, IActionExecutor executor, GuiAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(executor);
        _client = client;
        _capture = capture;
        _executor = executor;
        _options = options?.Clone() ?? new GuiAgentOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxSteps, 1, nameof(options));
        _transport = _options.Transport.Resolve(client);
    }

    /// <summary>Runs a task.</summary>
    /// <param name="task">What to do, in words.</param>
    /// <param name="cancellationToken">Cancels the run between and within steps.</param>
    /// <returns>How it ended and every step.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="ScreenCaptureException">The screen could not be captured.</exception>
    public async Task<GuiAgentRunResult> RunAsync(string task, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        TrajectoryRecorder? recorder = _options.Recorder;
        recorder?.Begin(task, !_executor.SendsInput);
        var steps = new List<TrajectoryStep>();
        GuiAgentRunResult? result = null;
        try
        {
            result = await RunCoreAsync(task, steps, recorder, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            recorder?.Complete(result?.Status, result?.Message ?? (cancellationToken.IsCancellationRequested ? "Cancelled." : "Failed."));
        }
    }

    private async Task<GuiAgentRunResult> RunCoreAsync(string task, List<TrajectoryStep> steps, TrajectoryRecorder? recorder, CancellationToken ct)
    {
        KillSwitch? kill = _options.KillSwitch;
        ScreenRectangle region = _options.CaptureRegion ?? _capture.GetPrimaryMonitor().Bounds;
        ISafetyPolicy policy = _options.SafetyPolicy ?? new SafetyPolicy(new SafetyPolicyOptions { AllowedRegion = region });
        string systemPrompt = _options.SystemPrompt ?? GuiAgentPrompt.CreateSystemPrompt(_options.Coordinates.Scale);
        var history = new List<(string Answer, string Observation)>();
        string? focusedField = null;
        int rejections = 0;

        for (int index = 1; index <= _options.MaxSteps; index++)
        {
            ct.ThrowIfCancellationRequested();
            if (kill?.IsTripped == true)
            {
                return new GuiAgentRunResult(GuiAgentStatus.KillSwitchTripped, kill.Reason, steps);
            }

            ScreenFrame frame = _capture.Capture(region);
            var mapper = new CoordinateMapper(ImageGeometry.Compute(frame.Width, frame.Height, _options.Sizing), _options.Coordinates, frame.Bounds);
            List<ChatMessage> messages = GuiAgentPrompt.CreateMessages(systemPrompt, task, Window(history), frame.ToDataContent(_transport, _options.Png));
            ChatResponse response = await _client.GetResponseAsync(messages, CreateChatOptions(), ct).ConfigureAwait(false);
            string answer = response.Text;
            var step = new TrajectoryStep { Index = index, Timestamp = DateTimeOffset.UtcNow, Outcome = StepOutcome.Rejected, ModelResponse = answer };

            ModelActionResponse parsed;
            try
            {
                parsed = UiTarsActionParser.Parse(answer, _options.Coordinates);
            }
            catch (Exception e) when (e is ActionParseException or GroundingAnswerException)
            {
                steps.Add(Record(recorder, step with { Detail = e.Message }, frame));
                history.Add((answer, $"Your answer was rejected and nothing was done: {e.Message} Answer again in the required format."));
                if (++rejections >= _options.MaxConsecutiveRejections)
                {
                    return new GuiAgentRunResult(GuiAgentStatus.TooManyRejectedAnswers, e.Message, steps);
                }

                continue;
            }

            step = step with { Thought = parsed.Thought };
            var observations = new List<string>();
            bool rejected = false;
            foreach (ModelAction modelAction in parsed.Actions)
            {
                ct.ThrowIfCancellationRequested();
                step = step with { ActionText = modelAction.Text, Action = null, Verdict = null, Detail = null };
                GuiAction action;
                try
                {
                    action = modelAction.Resolve(mapper, _options.DefaultWait);
                }
                catch (Exception e) when (e is ActionParseException or GroundingAnswerException)
                {
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Rejected, Detail = e.Message }, frame));
                    observations.Add($"{modelAction.Text} was rejected and not done: {e.Message}");
                    rejected = true;
                    break;
                }

                step = step with { Action = action };
                if (action is DoneAction done)
                {
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Executed }, frame));
                    await _executor.ExecuteAsync(action, ct).ConfigureAwait(false);
                    return new GuiAgentRunResult(done.NeedsUser ? GuiAgentStatus.NeedsUser : GuiAgentStatus.Completed, done.Message, steps);
                }

                var context = new SafetyContext(task, parsed.Thought, focusedField);
                SafetyDecision decision = policy.Evaluate(action, context);
                step = step with { Verdict = decision.Verdict, Detail = decision.Reason };
                if (decision.Verdict == SafetyVerdict.Block)
                {
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Blocked }, frame));
                    observations.Add($"{action.Describe()} was blocked by the safety policy and not done: {decision.Reason}");
                    rejected = true;
                    break;
                }

                if (decision.Verdict == SafetyVerdict.RequireConfirmation
                    && !(_options.Confirm is { } confirm && await confirm(new ConfirmationRequest(action, decision.Reason ?? "Sensitive action.", context), ct).ConfigureAwait(false)))
                {
                    string why = _options.Confirm is null ? "no one could be asked to confirm it" : "the user declined it";
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Declined, Detail = $"{decision.Reason} ({why})" }, frame));
                    observations.Add($"{action.Describe()} needs confirmation ({decision.Reason}) and {why}; it was not done.");
                    rejected = true;
                    break;
                }

                try
                {
                    await _executor.ExecuteAsync(action, ct).ConfigureAwait(false);
                }
                catch (KillSwitchTrippedException e)
                {
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Stopped, Detail = e.Message }, frame));
                    return new GuiAgentRunResult(GuiAgentStatus.KillSwitchTripped, e.Reason, steps);
                }
                catch (InputInjectionException e)
                {
                    steps.Add(Record(recorder, step with { Outcome = StepOutcome.Failed, Detail = e.Message }, frame));
                    observations.Add($"{action.Describe()} failed: {e.Message}");
                    rejected = true;
                    break;
                }

                steps.Add(Record(recorder, step with { Outcome = StepOutcome.Executed }, frame));
                observations.Add($"Done: {action.Describe()}.");
                if (action is ClickAction or DoubleClickAction)
                {
                    focusedField = parsed.Thought;
                }
            }

            rejections = rejected ? rejections + 1 : 0;
            history.Add((answer, string.Join(' ', observations) + " Here is the screen now."));
            if (rejections >= _options.MaxConsecutiveRejections)
            {
                return new GuiAgentRunResult(GuiAgentStatus.TooManyRejectedAnswers, observations.LastOrDefault(), steps);
            }

            if (!rejected && _options.SettleDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.SettleDelay, ct).ConfigureAwait(false);
            }
        }

        return new GuiAgentRunResult(GuiAgentStatus.StepLimitReached, string.Create(CultureInfo.InvariantCulture, $"Stopped after {_options.MaxSteps} steps."), steps);
    }

    private IReadOnlyList<(string Answer, string Observation)> Window(List<(string Answer, string Observation)> history)
        => history.Count <= _options.HistorySteps ? history : history.GetRange(history.Count - _options.HistorySteps, _options.HistorySteps);

    private ChatOptions CreateChatOptions()
    {
        ChatOptions options = _options.ChatOptions?.Clone() ?? new ChatOptions { Temperature = 0, MaxOutputTokens = 256 };
        if (_options.SkillName is { Length: > 0 } skill)
        {
            options.WithSkill(skill);
        }

        return _options.Sizing.ApplyTo(options);
    }

    private static TrajectoryStep Record(TrajectoryRecorder? recorder, TrajectoryStep step, ScreenFrame frame)
        => recorder?.Record(step, frame) ?? step with { FrameBounds = frame.Bounds, FrameWidth = frame.Width, FrameHeight = frame.Height };
}
