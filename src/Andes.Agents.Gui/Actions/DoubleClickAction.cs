namespace Andes.Agents.Gui;

/// <summary>A left double click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record DoubleClickAction(ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"double click {Position}";
}
