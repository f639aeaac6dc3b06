namespace Andes.Agents.Gui;

/// <summary>Waits (for the screen to settle) before the next screenshot.</summary>
/// <param name="Duration">How long.</param>
public sealed record WaitAction(TimeSpan Duration) : GuiAction
{
    /// <inheritdoc />
    public override string Describe() => $"wait {Duration.TotalSeconds:0.##} s";
}
