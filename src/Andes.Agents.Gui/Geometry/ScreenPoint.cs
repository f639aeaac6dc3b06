namespace Andes.Agents.Gui;

/// <summary>A point in virtual-desktop coordinates: the space input injection uses (see the remarks).</summary>
/// <remarks>
/// Continuous coordinates: the pixel at integer (x, y) covers [x, x+1) x [y, y+1). Executors inject at
/// <see cref="ToPixel"/>. The unit is whatever the platform's input API takes: physical pixels on X11 and on a
/// per-monitor DPI aware Windows process (how Andes captures and injects), logical units elsewhere.
/// </remarks>
/// <param name="X">Horizontal coordinate (may be negative: monitors left of the primary one).</param>
/// <param name="Y">Vertical coordinate (may be negative: monitors above the primary one).</param>
public readonly record struct ScreenPoint(double X, double Y)
{
    /// <summary>The desktop pixel that contains this point (floor of both coordinates).</summary>
    /// <returns>The integer pixel coordinates.</returns>
    public (int X, int Y) ToPixel() => ((int)Math.Floor(X), (int)Math.Floor(Y));

    /// <summary>The centre of a desktop pixel.</summary>
    /// <param name="x">Pixel column.</param>
    /// <param name="y">Pixel row.</param>
    /// <returns>The point at (x + 0.5, y + 0.5).</returns>
    public static ScreenPoint FromPixel(int x, int y) => new(x + 0.5, y + 0.5);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"screen({X:0.##}, {Y:0.##})");
}
