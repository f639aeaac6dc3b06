namespace Andes.Agents.Gui;

/// <summary>A parsed agent answer: the model's reasoning and the actions it asked for.</summary>
/// <param name="Text">The full answer.</param>
/// <param name="Thought">The text after <c>Thought:</c> (or before <c>Action:</c>), if any.</param>
/// <param name="Actions">The actions, in order (at least one).</param>
public sealed record ModelActionResponse(string Text, string? Thought, IReadOnlyList<ModelAction> Actions);
