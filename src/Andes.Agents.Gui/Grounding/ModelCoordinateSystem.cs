using System.Globalization;

namespace Andes.Agents.Gui;

/// <summary>
/// How a model writes coordinates: normalised to <see cref="Scale"/> (0-1000 for AndesVL; some outputs use
/// 0-10000) over the image named by <see cref="Frame"/>. This is model configuration: never guessed from an answer.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ModelCoordinateSystem
{
    /// <summary>AndesVL: 0-1000 over the source image (see <see cref="ModelCoordinateFrame"/> for why).</summary>
    public static ModelCoordinateSystem AndesVL { get; } = new();

    /// <summary>Creates a coordinate system.</summary>
    /// <param name="scale">The value that means "right/bottom edge" (1000 for AndesVL).</param>
    /// <param name="frame">The image the coordinates are relative to (default: the source image, as AndesVL).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive and finite.</exception>
    public ModelCoordinateSystem(double scale = 1000, ModelCoordinateFrame frame = ModelCoordinateFrame.SourceImage)
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The coordinate scale must be positive and finite.");
        }

        Scale = scale;
        Frame = frame;
    }

    /// <summary>The value that means the right/bottom edge of the image (0 is the left/top edge).</summary>
    public double Scale { get; }

    /// <summary>The image the coordinates are relative to.</summary>
    public ModelCoordinateFrame Frame { get; }

    /// <summary>Whether a coordinate lies in [0, <see cref="Scale"/>].</summary>
    /// <param name="value">The coordinate.</param>
    /// <returns>True when in range.</returns>
    public bool IsInRange(double value) => value >= 0 && value <= Scale;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0-{Scale:0.###} over the {(Frame == ModelCoordinateFrame.ProcessedImage ? "processed (padded)" : "source")} image");
}
