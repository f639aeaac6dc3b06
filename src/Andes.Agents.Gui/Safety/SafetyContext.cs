namespace Andes.Agents.Gui;

/// <summary>What the safety policy knows about an action besides its coordinates.</summary>
/// <param name="Task">The user's task.</param>
/// <param name="TargetDescription">What the action is aimed at, in words: the grounding instruction, or the model's thought for the step.</param>
/// <param name="FocusedFieldDescription">What the last click was aimed at (the field typing goes into), if known.</param>
public sealed record SafetyContext(string Task, string? TargetDescription, string? FocusedFieldDescription);
