using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// The GUI agent's tools, as <see cref="AIFunction"/>s any <c>Microsoft.Extensions.AI</c> tool-calling client can run
/// (<c>FunctionInvokingChatClient</c>, Agent Framework's <c>ChatClientAgent</c>, Semantic Kernel through
/// <c>Andes.SemanticKernel</c>): <c>locate</c>, <c>click</c>, <c>type_text</c>, <c>scroll</c>, <c>screenshot</c> and
/// <c>run_task</c>. Targets are described in words and grounded by a vision model (<see cref="ScreenGrounder"/>; it
/// asks for the <c>gui</c> LoRA skill through <see cref="GuiSkill"/> by default, which a skill-aware client uses when
/// such a skill is registered and ignores otherwise).
/// </summary>
/// <remarks>
/// <para>Every action goes through the safety policy (allowed region, confirmation of sensitive targets and secret
/// fields) and the kill switch; results come back as short JSON objects the calling model can read (<c>"ok"</c>, plus
/// <c>"error"</c>, <c>"blocked"</c> or <c>"stopped"</c> with a reason). Give <see cref="Functions"/> to the client, e.g.
/// <c>new ChatOptions { Tools = [.. tools.Functions] }</c>; the methods can also be called directly.</para>
/// <para>Thread-safe when its client, capture and executor are; actions are not meant to interleave.</para>
/// </remarks>
public sealed class GuiAgentTools
{
    /// <summary>The name of the <see cref="LocateAsync"/> function.</summary>
    public const string LocateName = "locate";

    /// <summary>The name of the <see cref="ClickAsync"/> function.</summary>
    public const string ClickName = "click";

    /// <summary>The name of the <see cref="TypeTextAsync"/> function.</summary>
    public const string TypeTextName = "type_text";

    /// <summary>The name of the <see cref="ScrollAsync"/> function.</summary>
    public const string ScrollName = "scroll";

    /// <summary>The name of the <see cref="Screenshot"/> function.</summary>
    public const string ScreenshotName = "screenshot";

    /// <summary>The name of the <see cref="RunTaskAsync"/> function.</summary>
    public const string RunTaskName = "run_task";

    private static readonly AndesAgentsGuiJsonContext Json = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    private readonly IChatClient _client;
    private readonly IScreenCapture _capture;
    private readonly IActionExecutor _executor;
    private readonly GuiAgentToolsOptions _options;
    private readonly ScreenGrounder _grounder;
    private string? _lastTarget;

    /// <summary>Creates the tools.</summary>
    /// <param name="client">The vision-language model used for grounding and <c>run_task</c>.</param>
    /// <param name="capture">The screen.</param>
    /// <param name="executor">Where actions go (real input or a dry run).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public GuiAgentTools(IChatClient client, IScreenCapture capture, IActionExecutor executor, GuiAgentToolsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(executor);
        _client = client;
        _capture = capture;
        _executor = executor;
        _options = options ?? new GuiAgentToolsOptions();
        _grounder = new ScreenGrounder(client, _options.Grounding);
        Functions =
        [
            Function(LocateAsync, LocateName),
            Function(ClickAsync, ClickName),
            Function(TypeTextAsync, TypeTextName),
            Function(ScrollAsync, ScrollName),
            Function(Screenshot, ScreenshotName),
            Function(RunTaskAsync, RunTaskName),
        ];
    }

    /// <summary>
    /// The six functions, bound to this instance: named by the <c>...Name</c> constants, described (with their
    /// parameters) by the methods' <see cref="DescriptionAttribute"/>s. Each returns its method's JSON text as a
    /// <see cref="string"/>.
    /// </summary>
    public IReadOnlyList<AIFunction> Functions { get; }

    /// <summary>The last screenshot taken (by any function), or null.</summary>
    public ScreenFrame? LastScreenshot { get; private set; }

    /// <summary>Finds an element on the screen.</summary>
    /// <param name="target">The element, described in words.</param>
    /// <param name="cancellationToken">Cancels the model call.</param>
    /// <returns>JSON: <c>{"ok":true,"x":..,"y":..,"box":[l,t,r,b]}</c> in desktop coordinates, or an error.</returns>
    [Description("Finds a UI element on the screen from a description and returns its desktop coordinates and box.")]
    public async Task<string> LocateAsync(
        [Description("The element, e.g. 'the Save button' or 'the search box'.")] string target,
        CancellationToken cancellationToken = default)
    {
        (GroundingResult? found, string? error) = await GroundAsync(target, cancellationToken).ConfigureAwait(false);
        return found is null ? Error(error!) : Result(new GuiToolLocated(true, target, Round(found.ScreenTarget.X), Round(found.ScreenTarget.Y), Box(found.ScreenBox)), Json.GuiToolLocated);
    }

    /// <summary>Clicks an element.</summary>
    /// <param name="target">The element, described in words.</param>
    /// <param name="button">left, right or double.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>JSON describing what was done, blocked or why it failed.</returns>
    [Description("Clicks a UI element described in words. button: left (default), right or double.")]
    public async Task<string> ClickAsync(
        [Description("The element to click, e.g. 'the OK button'.")] string target,
        [Description("left, right or double.")] string button = "left",
        CancellationToken cancellationToken = default)
        => (await ClickCoreAsync(target, button, cancellationToken).ConfigureAwait(false)).Json;

    /// <summary>Types text, optionally clicking a field first.</summary>
    /// <param name="text">The text ('\n' presses Enter).</param>
    /// <param name="target">The field to click first; null or empty types into the focused control.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>JSON describing what was done, blocked or why it failed.</returns>
    [Description("Types text (any language; a trailing newline presses Enter), optionally clicking a field described in words first.")]
    public async Task<string> TypeTextAsync(
        [Description("The text to type.")] string text,
        [Description("The field to click first, e.g. 'the search box'; empty to type into the focused control.")] string? target = null,
        CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(target))
        {
            (bool ok, string json) = await ClickCoreAsync(target, "left", cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return json;
            }
        }

        return (await ExecuteAsync(new TypeTextAction(text), new SafetyContext(text, target, _lastTarget), cancellationToken).ConfigureAwait(false)).Json;
    }

    /// <summary>Scrolls.</summary>
    /// <param name="direction">up, down, left or right.</param>
    /// <param name="amount">Wheel notches.</param>
    /// <param name="target">What to scroll (described in words); null for wherever the pointer is.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>JSON describing what was done, blocked or why it failed.</returns>
    [Description("Scrolls up, down, left or right, optionally over an element described in words.")]
    public async Task<string> ScrollAsync(
        [Description("up, down, left or right.")] string direction,
        [Description("Wheel notches, 1-50.")] int amount = 5,
        [Description("What to scroll, e.g. 'the message list'; empty for where the pointer is.")] string? target = null,
        CancellationToken cancellationToken = default)
    {
        if (!Enum.TryParse(direction?.Trim(), ignoreCase: true, out ScrollDirection parsed) || !Enum.IsDefined(parsed))
        {
            return Error($"Unknown direction '{direction}'; use up, down, left or right.");
        }

        if (amount is < 1 or > 50)
        {
            return Error(string.Create(CultureInfo.InvariantCulture, $"amount {amount} is out of range 1-50."));
        }

        ScreenPoint? at = null;
        ScreenBox? box = null;
        if (!string.IsNullOrWhiteSpace(target))
        {
            (GroundingResult? found, string? error) = await GroundAsync(target, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return Error(error!);
            }

            at = found.ScreenTarget;
            box = found.ScreenBox;
        }

        return (await ExecuteAsync(new ScrollAction(at, parsed, amount) { TargetBox = box }, new SafetyContext(target ?? "scroll", target, _lastTarget), cancellationToken).ConfigureAwait(false)).Json;
    }

    /// <summary>Takes a screenshot.</summary>
    /// <returns>JSON with the captured area, its DPI scale and, when a folder is configured, the saved PNG's path.</returns>
    [Description("Takes a screenshot of the working area and reports its size, position and the monitors (and where it was saved, if configured).")]
    public string Screenshot()
    {
        ScreenFrame frame = Capture();
        string? path = null;
        if (_options.ScreenshotDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            path = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"screenshot-{frame.CapturedAt:yyyyMMdd-HHmmss-fff}.png"));
            File.WriteAllBytes(path, frame.EncodePng());
        }

        IEnumerable<GuiToolMonitor> monitors = _capture.GetMonitors().Select(m => new GuiToolMonitor(m.Name, Rect(m.Bounds), m.ScaleFactor, m.IsPrimary));
        return Result(new GuiToolScreenshot(true, frame.Width, frame.Height, Rect(frame.Bounds), frame.ScaleFactor, path, monitors), Json.GuiToolScreenshot);
    }

    /// <summary>Runs a whole task with the GUI agent loop.</summary>
    /// <param name="task">The task.</param>
    /// <param name="maxSteps">Step limit.</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>JSON with the final status, message and the actions taken.</returns>
    [Description("Carries out a multi-step task on the screen by itself (screenshot, act, repeat) and reports how it ended.")]
    public async Task<string> RunTaskAsync(
        [Description("The task, e.g. 'open Settings and turn on dark mode'.")] string task,
        [Description("Most steps to take, 1-50.")] int maxSteps = 15,
        CancellationToken cancellationToken = default)
    {
        GuiAgentOptions options = _options.AgentOptions?.Clone() ?? new GuiAgentOptions();
        options.MaxSteps = Math.Clamp(maxSteps, 1, 50);
        options.CaptureRegion ??= _options.CaptureRegion;
        options.SafetyPolicy ??= _options.SafetyPolicy;
        options.Confirm ??= _options.Confirm;
        options.KillSwitch ??= _options.KillSwitch;
        options.SkillName ??= _options.Grounding.SkillName;
        options.Coordinates = _options.Grounding.Coordinates;
        options.Sizing = _options.Grounding.Sizing;
        options.Transport = _options.Grounding.Transport;
        options.Png = _options.Grounding.Png;
        try
        {
            GuiAgentRunResult result = await new GuiAgent(_client, _capture, _executor, options).RunAsync(task, cancellationToken).ConfigureAwait(false);
            return Result(
                new GuiToolTaskResult(
                    result.Status == GuiAgentStatus.Completed,
                    result.Status.ToString(),
                    result.Message,
                    result.Steps.Select(s => new GuiToolTaskStep(s.Index, s.Outcome.ToString(), s.Action?.Describe() ?? s.ActionText, s.Detail))),
                Json.GuiToolTaskResult);
        }
        catch (ScreenCaptureException e)
        {
            return Error(e.Message);
        }
    }

    private static AIFunction Function(Delegate method, string name) => AIFunctionFactory.Create(method, new AIFunctionFactoryOptions
    {
        Name = name,

        // The default serializes the result to a JsonElement; a client would then send the model our JSON text as one
        // quoted, escaped JSON string. The text as it is reads the same through every client.
        MarshalResult = static (result, _, _) => new ValueTask<object?>(result),

        // It would only say "string"; what the JSON holds is in the descriptions.
        ExcludeResultSchema = true,
    });

    private async Task<(bool Ok, string Json)> ClickCoreAsync(string target, string button, CancellationToken ct)
    {
        GuiAction? Create(GroundingResult found) => button.Trim().ToLowerInvariant() switch
        {
            "left" or "" => new ClickAction(found.ScreenTarget) { TargetBox = found.ScreenBox },
            "right" => new RightClickAction(found.ScreenTarget) { TargetBox = found.ScreenBox },
            "double" => new DoubleClickAction(found.ScreenTarget) { TargetBox = found.ScreenBox },
            _ => null,
        };

        if (button.Trim().ToLowerInvariant() is not ("left" or "" or "right" or "double"))
        {
            return (false, Error($"Unknown button '{button}'; use left, right or double."));
        }

        (GroundingResult? found, string? error) = await GroundAsync(target, ct).ConfigureAwait(false);
        if (found is null)
        {
            return (false, Error(error!));
        }

        (bool ok, string json) = await ExecuteAsync(Create(found)!, new SafetyContext(target, target, _lastTarget), ct).ConfigureAwait(false);
        if (ok)
        {
            _lastTarget = target;
        }

        return (ok, json);
    }

    private ScreenFrame Capture()
    {
        ScreenRectangle region = _options.CaptureRegion ?? _capture.GetPrimaryMonitor().Bounds;
        ScreenFrame frame = _capture.Capture(region);
        LastScreenshot = frame;
        return frame;
    }

    private async Task<(GroundingResult? Result, string? Error)> GroundAsync(string target, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return (null, "The target description is empty.");
        }

        try
        {
            return (await _grounder.LocateAsync(Capture(), target, ct).ConfigureAwait(false), null);
        }
        catch (GroundingAnswerException e)
        {
            return (null, $"Could not locate '{target}': {e.Message}");
        }
        catch (ScreenCaptureException e)
        {
            return (null, e.Message);
        }
    }

    private async Task<(bool Ok, string Json)> ExecuteAsync(GuiAction action, SafetyContext context, CancellationToken ct)
    {
        ScreenRectangle region = _options.CaptureRegion ?? _capture.GetPrimaryMonitor().Bounds;
        ISafetyPolicy policy = _options.SafetyPolicy ?? new SafetyPolicy(new SafetyPolicyOptions { AllowedRegion = region });
        SafetyDecision decision = policy.Evaluate(action, context);
        if (decision.Verdict == SafetyVerdict.Block)
        {
            return (false, Result(new GuiToolActionResult(false, Blocked: true, Stopped: null, action.Describe(), decision.Reason, DryRun: null), Json.GuiToolActionResult));
        }

        if (decision.Verdict == SafetyVerdict.RequireConfirmation
            && !(_options.Confirm is { } confirm && await confirm(new ConfirmationRequest(action, decision.Reason ?? "Sensitive action.", context), ct).ConfigureAwait(false)))
        {
            return (false, Result(new GuiToolActionResult(false, Blocked: true, Stopped: null, action.Describe(), $"{decision.Reason} The user did not confirm it.", DryRun: null), Json.GuiToolActionResult));
        }

        try
        {
            _options.KillSwitch?.ThrowIfTripped();
            await _executor.ExecuteAsync(action, ct).ConfigureAwait(false);
        }
        catch (KillSwitchTrippedException e)
        {
            return (false, Result(new GuiToolActionResult(false, Blocked: null, Stopped: true, action.Describe(), e.Message, DryRun: null), Json.GuiToolActionResult));
        }
        catch (InputInjectionException e)
        {
            return (false, Error(e.Message));
        }

        return (true, Result(new GuiToolActionResult(true, Blocked: null, Stopped: null, action.Describe(), Reason: null, DryRun: !_executor.SendsInput), Json.GuiToolActionResult));
    }

    private static double Round(double v) => Math.Round(v, 1);

    private static double[]? Box(ScreenBox? box) => box is { } b ? [Round(b.Left), Round(b.Top), Round(b.Right), Round(b.Bottom)] : null;

    private static int[] Rect(ScreenRectangle r) => [r.X, r.Y, r.Width, r.Height];

    private static string Result<T>(T value, JsonTypeInfo<T> contract) => JsonSerializer.Serialize(value, contract);

    private static string Error(string message) => Result(new GuiToolError(false, message), Json.GuiToolError);
}
