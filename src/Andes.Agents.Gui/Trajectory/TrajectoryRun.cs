using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>A run's summary, as recorded in <c>run.json</c>.</summary>
public sealed record TrajectoryRun
{
    /// <summary>The task.</summary>
    public required string Task { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Whether the actions went to a dry-run executor.</summary>
    public bool DryRun { get; init; }

    /// <summary>When the run ended (null while running).</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>How it ended.</summary>
    public GuiAgentStatus? Status { get; init; }

    /// <summary>The final message (the model's summary, or why it stopped).</summary>
    public string? Message { get; init; }
}
