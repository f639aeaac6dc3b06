namespace Andes.Agents.Gui;

/// <summary>Types Unicode text into the focused control ('\n' presses Enter, '\t' Tab).</summary>
/// <param name="Text">The text.</param>
public sealed record TypeTextAction(string Text) : GuiAction
{
    /// <inheritdoc />
    public override string Describe() => $"type \"{(Text.Length <= 40 ? Text : Text[..40] + "...")}\"".Replace("\n", "\\n", StringComparison.Ordinal);
}
