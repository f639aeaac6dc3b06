using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>How an agent run ended and what it did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Message">The model's final message, or why the run stopped.</param>
/// <param name="Steps">Every step, in order (executed, rejected, blocked, ...).</param>
public sealed record GuiAgentRunResult(GuiAgentStatus Status, string? Message, IReadOnlyList<TrajectoryStep> Steps);
