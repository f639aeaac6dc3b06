namespace Andes.Agents.Gui.Actions;

/// <summary>Moves the pointer (hover) without clicking.</summary>
/// <param name="Position">Where to move.</param>
public sealed record MoveAction(Geometry.ScreenPoint Position) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<Geometry.ScreenPoint> GetPointerPositions() => [Position];

    /// <inheritdoc />
    public override string Describe() => $"move to {Position}";
}
