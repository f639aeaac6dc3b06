namespace Andes.Agents.Gui.Actions;

/// <summary>A left double click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record DoubleClickAction(Geometry.ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<Geometry.ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"double click {Position}";
}
