namespace Andes.Agents.Gui;

/// <summary>Presses a key combination (keys down in order, up in reverse).</summary>
/// <param name="Keys">The keys.</param>
public sealed record HotkeyAction(KeyChord Keys) : GuiAction
{
    /// <inheritdoc />
    public override string Describe() => $"hotkey {Keys}";
}
