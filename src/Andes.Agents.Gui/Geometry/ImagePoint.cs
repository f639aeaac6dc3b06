namespace Andes.Agents.Gui;

/// <summary>
/// A point in the source image (the screenshot as captured), in continuous pixel coordinates: pixel (i, j) covers
/// [i, i+1) x [j, j+1).
/// </summary>
/// <param name="X">Horizontal pixel coordinate.</param>
/// <param name="Y">Vertical pixel coordinate.</param>
public readonly record struct ImagePoint(double X, double Y)
{
    /// <summary>The centre of pixel (x, y).</summary>
    /// <param name="x">Pixel column.</param>
    /// <param name="y">Pixel row.</param>
    /// <returns>The point at (x + 0.5, y + 0.5).</returns>
    public static ImagePoint FromPixel(int x, int y) => new(x + 0.5, y + 0.5);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"image({X:0.##}, {Y:0.##})");
}
