using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>One step of an agent run, as recorded in <c>trajectory.jsonl</c> (one JSON object per line).</summary>
public sealed record TrajectoryStep
{
    /// <summary>Step number, from 1.</summary>
    public required int Index { get; init; }

    /// <summary>When the step was decided.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>What happened to the action.</summary>
    public required StepOutcome Outcome { get; init; }

    /// <summary>The model's full answer.</summary>
    public string? ModelResponse { get; init; }

    /// <summary>The model's thought for the step.</summary>
    public string? Thought { get; init; }

    /// <summary>The action call as the model wrote it.</summary>
    public string? ActionText { get; init; }

    /// <summary>The resolved action (desktop coordinates); null when the answer was rejected before mapping.</summary>
    public GuiAction? Action { get; init; }

    /// <summary>The safety policy's verdict, when it was consulted.</summary>
    public SafetyVerdict? Verdict { get; init; }

    /// <summary>Why the step was rejected, blocked, declined or failed; or the confirmation reason.</summary>
    public string? Detail { get; init; }

    /// <summary>The desktop rectangle the screenshot showed.</summary>
    public ScreenRectangle? FrameBounds { get; init; }

    /// <summary>The screenshot's pixel width.</summary>
    public int FrameWidth { get; init; }

    /// <summary>The screenshot's pixel height.</summary>
    public int FrameHeight { get; init; }

    /// <summary>The annotated screenshot's file name, relative to the trajectory folder.</summary>
    public string? Screenshot { get; init; }
}
