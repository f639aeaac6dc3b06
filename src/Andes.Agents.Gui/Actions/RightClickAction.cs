namespace Andes.Agents.Gui;

/// <summary>A single right click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record RightClickAction(ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"right click {Position}";
}
