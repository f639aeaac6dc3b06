using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>A box in source-image pixels (ground truth of a dataset, a target drawn in a trajectory), corners ordered.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Right">Right edge.</param>
/// <param name="Bottom">Bottom edge.</param>
public readonly record struct ImageBox(double Left, double Top, double Right, double Bottom)
{
    /// <summary>Width.</summary>
    [JsonIgnore]
    public double Width => Right - Left;

    /// <summary>Height.</summary>
    [JsonIgnore]
    public double Height => Bottom - Top;

    /// <summary>Area (0 for an empty or inverted box).</summary>
    [JsonIgnore]
    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    /// <summary>The centre.</summary>
    [JsonIgnore]
    public ImagePoint Center => new((Left + Right) / 2, (Top + Bottom) / 2);

    /// <summary>Whether a point lies inside, edges included (ScreenSpot's point-in-box rule).</summary>
    /// <param name="point">The point.</param>
    /// <returns>True when inside or on an edge.</returns>
    public bool Contains(ImagePoint point) => point.X >= Left && point.X <= Right && point.Y >= Top && point.Y <= Bottom;

    /// <summary>Intersection over union with another box (0 when either has no area).</summary>
    /// <param name="other">The other box.</param>
    /// <returns>IoU in [0, 1].</returns>
    public double IntersectionOverUnion(ImageBox other)
    {
        double w = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
        double h = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
        double inter = w > 0 && h > 0 ? w * h : 0;
        double union = Area + other.Area - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>Creates a box from (x, y, width, height).</summary>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <returns>The box.</returns>
    public static ImageBox FromXywh(double x, double y, double width, double height) => new(x, y, x + width, y + height);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"image({Left:0.##},{Top:0.##})-({Right:0.##},{Bottom:0.##})");
}
