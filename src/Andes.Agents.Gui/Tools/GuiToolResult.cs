namespace Andes.Agents.Gui;

// The JSON objects GuiAgentTools returns to the calling model, one record per shape, serialised by the source-generated
// AndesAgentsGuiJsonContext with snake_case names and nulls left out. Each record's property order is its JSON's field
// order, and each starts with "ok".

/// <summary>A failure: <c>{"ok":false,"error":...}</c>.</summary>
internal sealed record GuiToolError(bool Ok, string Error);

/// <summary><c>locate</c>'s answer: the target's desktop point and box.</summary>
internal sealed record GuiToolLocated(bool Ok, string Target, double X, double Y, double[]? Box);

/// <summary>An action's outcome: done (with <c>dry_run</c>), blocked by the safety policy, or stopped by the kill switch.</summary>
internal sealed record GuiToolActionResult(bool Ok, bool? Blocked, bool? Stopped, string Action, string? Reason, bool? DryRun);

/// <summary><c>screenshot</c>'s answer.</summary>
internal sealed record GuiToolScreenshot(bool Ok, int Width, int Height, int[] Bounds, double Scale, string? Path, IEnumerable<GuiToolMonitor> Monitors);

/// <summary>One monitor in <c>screenshot</c>'s answer.</summary>
internal sealed record GuiToolMonitor(string Name, int[] Bounds, double Scale, bool Primary);

/// <summary><c>run_task</c>'s answer.</summary>
internal sealed record GuiToolTaskResult(bool Ok, string Status, string? Message, IEnumerable<GuiToolTaskStep> Steps);

/// <summary>One step in <c>run_task</c>'s answer.</summary>
internal sealed record GuiToolTaskStep(int Index, string Outcome, string? Action, string? Detail);
