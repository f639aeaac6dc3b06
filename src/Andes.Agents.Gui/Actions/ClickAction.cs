namespace Andes.Agents.Gui.Actions;

/// <summary>A single left click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record ClickAction(Geometry.ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<Geometry.ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"click {Position}";
}
