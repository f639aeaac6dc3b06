using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>A box in virtual-desktop coordinates (a grounded target), corners ordered.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Right">Right edge.</param>
/// <param name="Bottom">Bottom edge.</param>
public readonly record struct ScreenBox(double Left, double Top, double Right, double Bottom)
{
    /// <summary>The centre (the click target).</summary>
    [JsonIgnore]
    public ScreenPoint Center => new((Left + Right) / 2, (Top + Bottom) / 2);

    /// <summary>Width.</summary>
    [JsonIgnore]
    public double Width => Right - Left;

    /// <summary>Height.</summary>
    [JsonIgnore]
    public double Height => Bottom - Top;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"screen({Left:0.##},{Top:0.##})-({Right:0.##},{Bottom:0.##})");
}
