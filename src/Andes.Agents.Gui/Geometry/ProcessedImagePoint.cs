namespace Andes.Agents.Gui;

/// <summary>
/// A point in the processed image the vision encoder saw: the screenshot resized to a multiple of the patch grid and
/// pasted centred on a padded canvas (continuous pixel coordinates of that canvas).
/// </summary>
/// <param name="X">Horizontal pixel coordinate on the canvas.</param>
/// <param name="Y">Vertical pixel coordinate on the canvas.</param>
public readonly record struct ProcessedImagePoint(double X, double Y)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"processed({X:0.##}, {Y:0.##})");
}
