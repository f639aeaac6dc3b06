using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>An integer rectangle in virtual-desktop coordinates (monitor bounds, captured areas, allowed regions).</summary>
/// <param name="X">Left edge (inclusive; may be negative).</param>
/// <param name="Y">Top edge (inclusive; may be negative).</param>
/// <param name="Width">Width (&gt;= 0).</param>
/// <param name="Height">Height (&gt;= 0).</param>
public readonly record struct ScreenRectangle(int X, int Y, int Width, int Height)
{
    /// <summary>Right edge (exclusive).</summary>
    [JsonIgnore]
    public int Right => X + Width;

    /// <summary>Bottom edge (exclusive).</summary>
    [JsonIgnore]
    public int Bottom => Y + Height;

    /// <summary>True when the rectangle has no area.</summary>
    [JsonIgnore]
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>Whether a point lies inside (left/top inclusive, right/bottom exclusive).</summary>
    /// <param name="point">The point.</param>
    /// <returns>True when inside.</returns>
    public bool Contains(ScreenPoint point) => point.X >= X && point.X < Right && point.Y >= Y && point.Y < Bottom;

    /// <summary>Whether another rectangle lies entirely inside this one.</summary>
    /// <param name="other">The other rectangle.</param>
    /// <returns>True when contained.</returns>
    public bool Contains(ScreenRectangle other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>The smallest rectangle containing both.</summary>
    /// <param name="other">The other rectangle.</param>
    /// <returns>The union's bounding rectangle.</returns>
    public ScreenRectangle Union(ScreenRectangle other)
    {
        if (IsEmpty)
        {
            return other;
        }

        if (other.IsEmpty)
        {
            return this;
        }

        int x = Math.Min(X, other.X), y = Math.Min(Y, other.Y);
        return new ScreenRectangle(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y);
    }

    /// <summary>The overlap of two rectangles (empty when they do not overlap).</summary>
    /// <param name="other">The other rectangle.</param>
    /// <returns>The intersection.</returns>
    public ScreenRectangle Intersect(ScreenRectangle other)
    {
        int x = Math.Max(X, other.X), y = Math.Max(Y, other.Y);
        int r = Math.Min(Right, other.Right), b = Math.Min(Bottom, other.Bottom);
        return r <= x || b <= y ? default : new ScreenRectangle(x, y, r - x, b - y);
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"[{X},{Y} {Width}x{Height}]");
}
