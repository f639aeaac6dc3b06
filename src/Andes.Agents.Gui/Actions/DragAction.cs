namespace Andes.Agents.Gui.Actions;

/// <summary>Presses the left button at one point, moves to another and releases.</summary>
/// <param name="Start">Where the drag starts.</param>
/// <param name="End">Where it ends.</param>
public sealed record DragAction(Geometry.ScreenPoint Start, Geometry.ScreenPoint End) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<Geometry.ScreenPoint> GetPointerPositions() => [Start, End];

    /// <inheritdoc />
    public override string Describe() => $"drag {Start} -> {End}";
}
