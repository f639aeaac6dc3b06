namespace Andes.Agents.Gui;

/// <summary>A single left click.</summary>
/// <param name="Position">Where to click.</param>
public sealed record ClickAction(ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"click {Position}";
}
