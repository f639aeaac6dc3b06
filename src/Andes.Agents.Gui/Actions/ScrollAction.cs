namespace Andes.Agents.Gui;

/// <summary>Turns the wheel, optionally after moving the pointer over the content to scroll.</summary>
/// <param name="Position">Where to scroll (null: wherever the pointer is).</param>
/// <param name="Direction">Which way.</param>
/// <param name="Amount">Wheel notches (&gt; 0).</param>
public sealed record ScrollAction(ScreenPoint? Position, ScrollDirection Direction, int Amount = 5) : GuiAction
{
    /// <inheritdoc />
    public override IEnumerable<ScreenPoint> GetPointerPositions() => Position is { } p ? [p] : [];

    /// <inheritdoc />
    public override string Describe() => $"scroll {Direction.ToString().ToLowerInvariant()} x{Amount}{(Position is { } p ? $" at {p}" : string.Empty)}";
}
