using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Maps between the four coordinate spaces of a grounded screenshot, explicitly and in both directions:
/// <see cref="ModelPoint"/> (normalised, what the model writes) &lt;-&gt; <see cref="ProcessedImagePoint"/> (the padded,
/// resized canvas the vision encoder saw) &lt;-&gt; <see cref="ImagePoint"/> (screenshot pixels) &lt;-&gt;
/// <see cref="ScreenPoint"/> (virtual-desktop coordinates, monitor origin and DPI scale applied).
/// </summary>
/// <remarks>
/// <para>Screenshot to desktop: <c>screen = bounds.origin + image * bounds.size / image.size</c>. With physical-pixel
/// desktop coordinates (X11; Windows per-monitor DPI aware) the factor is 1; with logical coordinates it is
/// 1 / DPI scale. Monitors left of or above the primary one have negative origins.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class CoordinateMapper
{
    // How far inside the far edge a clamped point is kept, in pixels (well above double rounding at desktop sizes).
    private const double EdgeInset = 1e-3;

    /// <summary>Creates a mapper.</summary>
    /// <param name="geometry">Where the screenshot lands in the processed image.</param>
    /// <param name="coordinates">How the model writes coordinates.</param>
    /// <param name="screenBounds">The desktop rectangle the screenshot shows (its monitor's or region's bounds).</param>
    /// <exception cref="ArgumentException"><paramref name="screenBounds"/> is empty.</exception>
    public CoordinateMapper(ImageGeometry geometry, ModelCoordinateSystem coordinates, ScreenRectangle screenBounds)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        if (screenBounds.IsEmpty)
        {
            throw new ArgumentException($"The screen bounds {screenBounds} are empty.", nameof(screenBounds));
        }

        Geometry = geometry;
        Coordinates = coordinates;
        ScreenBounds = screenBounds;
    }

    /// <summary>Where the screenshot lands in the processed image.</summary>
    public ImageGeometry Geometry { get; }

    /// <summary>How the model writes coordinates.</summary>
    public ModelCoordinateSystem Coordinates { get; }

    /// <summary>The desktop rectangle the screenshot shows.</summary>
    public ScreenRectangle ScreenBounds { get; }

    /// <summary>Desktop units per screenshot pixel, horizontally (1 / DPI scale for logical coordinates).</summary>
    public double ScreenUnitsPerPixelX => (double)ScreenBounds.Width / Geometry.OriginalWidth;

    /// <summary>Desktop units per screenshot pixel, vertically.</summary>
    public double ScreenUnitsPerPixelY => (double)ScreenBounds.Height / Geometry.OriginalHeight;

    /// <summary>Model coordinates to the processed canvas.</summary>
    /// <param name="point">A point as the model wrote it.</param>
    /// <returns>The point on the processed canvas.</returns>
    public ProcessedImagePoint ToProcessed(ModelPoint point)
    {
        if (Coordinates.Frame == ModelCoordinateFrame.SourceImage)
        {
            return ToProcessed(new ImagePoint(point.X / Coordinates.Scale * Geometry.OriginalWidth, point.Y / Coordinates.Scale * Geometry.OriginalHeight));
        }

        return new ProcessedImagePoint(point.X / Coordinates.Scale * Geometry.PaddedWidth, point.Y / Coordinates.Scale * Geometry.PaddedHeight);
    }

    /// <summary>The processed canvas to model coordinates.</summary>
    /// <param name="point">A point on the processed canvas.</param>
    /// <returns>The point as the model would write it (unrounded).</returns>
    public ModelPoint ToModel(ProcessedImagePoint point)
    {
        if (Coordinates.Frame == ModelCoordinateFrame.SourceImage)
        {
            ImagePoint image = ToImage(point);
            return new ModelPoint(image.X / Geometry.OriginalWidth * Coordinates.Scale, image.Y / Geometry.OriginalHeight * Coordinates.Scale);
        }

        return new ModelPoint(point.X / Geometry.PaddedWidth * Coordinates.Scale, point.Y / Geometry.PaddedHeight * Coordinates.Scale);
    }

    /// <summary>The processed canvas to screenshot pixels (removes the padding, undoes the resize).</summary>
    /// <param name="point">A point on the processed canvas.</param>
    /// <returns>The screenshot point; outside [0, size) when the canvas point lies in the padding.</returns>
    public ImagePoint ToImage(ProcessedImagePoint point)
        => new((point.X - Geometry.OffsetX) / Geometry.ScaleX, (point.Y - Geometry.OffsetY) / Geometry.ScaleY);

    /// <summary>Screenshot pixels to the processed canvas.</summary>
    /// <param name="point">A screenshot point.</param>
    /// <returns>The canvas point.</returns>
    public ProcessedImagePoint ToProcessed(ImagePoint point)
        => new(point.X * Geometry.ScaleX + Geometry.OffsetX, point.Y * Geometry.ScaleY + Geometry.OffsetY);

    /// <summary>Screenshot pixels to desktop coordinates.</summary>
    /// <param name="point">A screenshot point.</param>
    /// <returns>The desktop point.</returns>
    public ScreenPoint ToScreen(ImagePoint point)
        => new(ScreenBounds.X + point.X * ScreenUnitsPerPixelX, ScreenBounds.Y + point.Y * ScreenUnitsPerPixelY);

    /// <summary>Desktop coordinates to screenshot pixels.</summary>
    /// <param name="point">A desktop point.</param>
    /// <returns>The screenshot point (outside the image when the desktop point is outside the bounds).</returns>
    public ImagePoint ToImage(ScreenPoint point)
        => new((point.X - ScreenBounds.X) / ScreenUnitsPerPixelX, (point.Y - ScreenBounds.Y) / ScreenUnitsPerPixelY);

    /// <summary>Model coordinates to screenshot pixels.</summary>
    /// <param name="point">A point as the model wrote it.</param>
    /// <returns>The screenshot point.</returns>
    public ImagePoint ToImage(ModelPoint point) => ToImage(ToProcessed(point));

    /// <summary>Model coordinates all the way to desktop coordinates.</summary>
    /// <param name="point">A point as the model wrote it.</param>
    /// <returns>The desktop point.</returns>
    public ScreenPoint ToScreen(ModelPoint point) => ToScreen(ToImage(point));

    /// <summary>Desktop coordinates all the way to model coordinates.</summary>
    /// <param name="point">A desktop point.</param>
    /// <returns>The point as the model would write it (unrounded).</returns>
    public ModelPoint ToModel(ScreenPoint point) => ToModel(ToProcessed(ToImage(point)));

    /// <summary>Screenshot pixels to model coordinates.</summary>
    /// <param name="point">A screenshot point.</param>
    /// <returns>The point as the model would write it (unrounded).</returns>
    public ModelPoint ToModel(ImagePoint point) => ToModel(ToProcessed(point));

    /// <summary>A model box to screenshot pixels.</summary>
    /// <param name="box">A box as the model wrote it.</param>
    /// <returns>The screenshot box.</returns>
    public ImageBox ToImage(ModelBox box)
    {
        ImagePoint a = ToImage(box.TopLeft), b = ToImage(box.BottomRight);
        return new ImageBox(a.X, a.Y, b.X, b.Y);
    }

    /// <summary>A model box to desktop coordinates.</summary>
    /// <param name="box">A box as the model wrote it.</param>
    /// <returns>The desktop box.</returns>
    public ScreenBox ToScreen(ModelBox box)
    {
        ScreenPoint a = ToScreen(box.TopLeft), b = ToScreen(box.BottomRight);
        return new ScreenBox(a.X, a.Y, b.X, b.Y);
    }

    /// <summary>A screenshot box to desktop coordinates.</summary>
    /// <param name="box">A screenshot box.</param>
    /// <returns>The desktop box.</returns>
    public ScreenBox ToScreen(ImageBox box)
    {
        ScreenPoint a = ToScreen(new ImagePoint(box.Left, box.Top)), b = ToScreen(new ImagePoint(box.Right, box.Bottom));
        return new ScreenBox(a.X, a.Y, b.X, b.Y);
    }

    /// <summary>A screenshot box to model coordinates.</summary>
    /// <param name="box">A screenshot box.</param>
    /// <returns>The model box (unrounded).</returns>
    public ModelBox ToModel(ImageBox box) => ModelBox.FromCorners(ToModel(new ImagePoint(box.Left, box.Top)), ToModel(new ImagePoint(box.Right, box.Bottom)));

    /// <summary>Whether a screenshot point lies on the image (not in the padding, not beyond the edges).</summary>
    /// <param name="point">A screenshot point.</param>
    /// <returns>True when 0 &lt;= x &lt;= width and 0 &lt;= y &lt;= height.</returns>
    public bool IsOnImage(ImagePoint point)
        => point.X >= 0 && point.Y >= 0 && point.X <= Geometry.OriginalWidth && point.Y <= Geometry.OriginalHeight;

    /// <summary>
    /// Maps a model point to the desktop after checking it: the coordinates must lie in the model's range and land on
    /// the screenshot, not in the padding (up to half a model unit of rounding past an edge is accepted and clamped
    /// onto the edge pixel).
    /// </summary>
    /// <param name="point">A point as the model wrote it.</param>
    /// <param name="screen">The desktop point when the check passes.</param>
    /// <param name="failure">Why the point was rejected, otherwise null.</param>
    /// <returns>True when the point may be acted on.</returns>
    public bool TryMapToScreen(ModelPoint point, out ScreenPoint screen, out GroundingFailure? failure)
    {
        screen = default;
        if (!Coordinates.IsInRange(point.X) || !Coordinates.IsInRange(point.Y) || !double.IsFinite(point.X) || !double.IsFinite(point.Y))
        {
            failure = new GroundingFailure(GroundingFailureReason.OutOfRange, FormattableString.Invariant(
                $"The point {point} lies outside the model's coordinate range 0-{Coordinates.Scale:0.###}."));
            return false;
        }

        ImagePoint image = ToImage(point);

        // Integer answers are rounded: accept points up to half a model unit off the image's edge, then clamp.
        ImagePoint origin = ToImage(new ModelPoint(0, 0)), half = ToImage(new ModelPoint(0.5, 0.5));
        double toleranceX = Math.Abs(half.X - origin.X), toleranceY = Math.Abs(half.Y - origin.Y);
        if (image.X < -toleranceX || image.Y < -toleranceY || image.X > Geometry.OriginalWidth + toleranceX || image.Y > Geometry.OriginalHeight + toleranceY)
        {
            failure = new GroundingFailure(GroundingFailureReason.OutsideImage, FormattableString.Invariant(
                $"The point {point} maps to {image}, outside the {Geometry.OriginalWidth}x{Geometry.OriginalHeight} screenshot (it lies in the processed image's padding)."));
            return false;
        }

        // A point on (or just past) the far edge belongs to no pixel; keep it on the last one.
        image = new ImagePoint(Math.Clamp(image.X, 0, Geometry.OriginalWidth - EdgeInset), Math.Clamp(image.Y, 0, Geometry.OriginalHeight - EdgeInset));
        screen = ToScreen(image);
        screen = new ScreenPoint(Math.Clamp(screen.X, ScreenBounds.X, ScreenBounds.Right - EdgeInset), Math.Clamp(screen.Y, ScreenBounds.Y, ScreenBounds.Bottom - EdgeInset));
        failure = null;
        return true;
    }
}
