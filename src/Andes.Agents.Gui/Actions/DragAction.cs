namespace Andes.Agents.Gui;

/// <summary>Presses the left button at one point, moves to another and releases.</summary>
/// <param name="Start">Where the drag starts.</param>
/// <param name="End">Where it ends.</param>
public sealed record DragAction(ScreenPoint Start, ScreenPoint End) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => [Start, End];

    /// <inheritdoc />
    public override string Describe() => $"drag {Start} -> {End}";
}
