namespace Andes.Agents.Gui;

/// <summary>
/// A point as the model writes it: normalised coordinates, 0 to the model's scale (1000 for AndesVL) on both axes,
/// relative to the image the model saw (see <see cref="ModelCoordinateSystem"/>).
/// </summary>
/// <param name="X">Horizontal coordinate, 0 (left) to scale (right).</param>
/// <param name="Y">Vertical coordinate, 0 (top) to scale (bottom).</param>
public readonly record struct ModelPoint(double X, double Y)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"model({X:0.###}, {Y:0.###})");
}
