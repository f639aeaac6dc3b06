namespace Andes.Agents.Gui.Actions;

/// <summary>A single right click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record RightClickAction(Geometry.ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<Geometry.ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"right click {Position}";
}
