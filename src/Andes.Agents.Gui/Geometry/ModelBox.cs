using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>A box in the model's normalised coordinates (see <see cref="ModelPoint"/>), corners ordered.</summary>
/// <param name="X1">Left edge.</param>
/// <param name="Y1">Top edge.</param>
/// <param name="X2">Right edge.</param>
/// <param name="Y2">Bottom edge.</param>
public readonly record struct ModelBox(double X1, double Y1, double X2, double Y2)
{
    /// <summary>The centre: AndesVL's click target for a box answer.</summary>
    [JsonIgnore]
    public ModelPoint Center => new((X1 + X2) / 2, (Y1 + Y2) / 2);

    /// <summary>The top-left corner.</summary>
    [JsonIgnore]
    public ModelPoint TopLeft => new(X1, Y1);

    /// <summary>The bottom-right corner.</summary>
    [JsonIgnore]
    public ModelPoint BottomRight => new(X2, Y2);

    /// <summary>Creates a box from two corners in any order.</summary>
    /// <param name="a">One corner.</param>
    /// <param name="b">The opposite corner.</param>
    /// <returns>The box with ordered corners.</returns>
    public static ModelBox FromCorners(ModelPoint a, ModelPoint b)
        => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Max(a.X, b.X), Math.Max(a.Y, b.Y));

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"model({X1:0.###},{Y1:0.###})-({X2:0.###},{Y2:0.###})");
}
