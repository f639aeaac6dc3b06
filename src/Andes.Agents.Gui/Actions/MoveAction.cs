namespace Andes.Agents.Gui;

/// <summary>Moves the pointer (hover) without clicking.</summary>
/// <param name="Position">Where to move.</param>
public sealed record MoveAction(ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"move to {Position}";
}
