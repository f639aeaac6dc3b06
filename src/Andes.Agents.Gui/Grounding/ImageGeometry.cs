using System.Globalization;

namespace Andes.Agents.Gui.Grounding;

/// <summary>
/// Where a source image (a screenshot) lands in the processed image the model sees: the processed canvas size (a
/// multiple of the resize base) and the rectangle the resized source occupies on it (the rest is padding).
/// </summary>
/// <remarks>
/// <see cref="Compute"/> is AndesVL's sizing rule (model spec, section 3) as a pure function: cap the longest side;
/// scale up to at least <see cref="ImageSizingOptions.MinTokens"/> tokens of area; scale down to at most
/// <c>MaxSize^2</c> pixels; round each side up to the base; then resize the source keeping its aspect ratio
/// (scale = min(W/w, H/h), each side rounded to the nearest pixel) and paste it centred (offset = floor of half the
/// slack). Immutable and thread-safe.
/// </remarks>
public sealed record ImageGeometry
{
    /// <summary>Creates a geometry from explicit values (use <see cref="Compute"/> for the AndesVL rule).</summary>
    /// <param name="sourceWidth">Source image width in pixels.</param>
    /// <param name="sourceHeight">Source image height in pixels.</param>
    /// <param name="processedWidth">Processed canvas width.</param>
    /// <param name="processedHeight">Processed canvas height.</param>
    /// <param name="contentX">Left edge of the resized source on the canvas.</param>
    /// <param name="contentY">Top edge of the resized source on the canvas.</param>
    /// <param name="contentWidth">Width of the resized source.</param>
    /// <param name="contentHeight">Height of the resized source.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the content does not fit the canvas.</exception>
    public ImageGeometry(int sourceWidth, int sourceHeight, int processedWidth, int processedHeight, int contentX, int contentY, int contentWidth, int contentHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(processedWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(processedHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(contentWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(contentHeight, 1);
        if (contentX < 0 || contentY < 0 || contentX + contentWidth > processedWidth || contentY + contentHeight > processedHeight)
        {
            throw new ArgumentOutOfRangeException(
                nameof(contentX),
                string.Create(CultureInfo.InvariantCulture, $"The content rectangle ({contentX},{contentY} {contentWidth}x{contentHeight}) does not fit the {processedWidth}x{processedHeight} canvas."));
        }

        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        ProcessedWidth = processedWidth;
        ProcessedHeight = processedHeight;
        ContentX = contentX;
        ContentY = contentY;
        ContentWidth = contentWidth;
        ContentHeight = contentHeight;
    }

    /// <summary>Source image width in pixels.</summary>
    public int SourceWidth { get; }

    /// <summary>Source image height in pixels.</summary>
    public int SourceHeight { get; }

    /// <summary>Processed canvas width (a multiple of the resize base).</summary>
    public int ProcessedWidth { get; }

    /// <summary>Processed canvas height (a multiple of the resize base).</summary>
    public int ProcessedHeight { get; }

    /// <summary>Left padding: where the resized source starts on the canvas.</summary>
    public int ContentX { get; }

    /// <summary>Top padding: where the resized source starts on the canvas.</summary>
    public int ContentY { get; }

    /// <summary>Width of the resized source on the canvas.</summary>
    public int ContentWidth { get; }

    /// <summary>Height of the resized source on the canvas.</summary>
    public int ContentHeight { get; }

    /// <summary>Horizontal scale from source pixels to canvas pixels.</summary>
    public double ScaleX => (double)ContentWidth / SourceWidth;

    /// <summary>Vertical scale from source pixels to canvas pixels.</summary>
    public double ScaleY => (double)ContentHeight / SourceHeight;

    /// <summary>True when the processed image is the source, untouched.</summary>
    public bool IsIdentity => ProcessedWidth == SourceWidth && ProcessedHeight == SourceHeight && ContentX == 0 && ContentY == 0
        && ContentWidth == SourceWidth && ContentHeight == SourceHeight;

    /// <summary>A geometry where the model sees the source as is (no resize, no padding).</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <returns>The identity geometry.</returns>
    public static ImageGeometry Identity(int width, int height) => new(width, height, width, height, 0, 0, width, height);

    /// <summary>Applies AndesVL's sizing rule to a source image size.</summary>
    /// <param name="width">Source width in pixels.</param>
    /// <param name="height">Source height in pixels.</param>
    /// <param name="options">Processor settings; null for <see cref="ImageSizingOptions.AndesVL"/>.</param>
    /// <returns>The processed canvas and where the source lands on it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static ImageGeometry Compute(int width, int height, ImageSizingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        options ??= ImageSizingOptions.AndesVL;
        options.Validate();
        (int targetWidth, int targetHeight) = ComputeTargetSize(width, height, options);
        if (targetWidth == width && targetHeight == height)
        {
            return Identity(width, height);
        }

        double scale = Math.Min((double)targetWidth / width, (double)targetHeight / height);
        int contentWidth = Math.Clamp((int)Math.Round(width * scale, MidpointRounding.AwayFromZero), 1, targetWidth);
        int contentHeight = Math.Clamp((int)Math.Round(height * scale, MidpointRounding.AwayFromZero), 1, targetHeight);
        return new ImageGeometry(
            width,
            height,
            targetWidth,
            targetHeight,
            (targetWidth - contentWidth) / 2,
            (targetHeight - contentHeight) / 2,
            contentWidth,
            contentHeight);
    }

    /// <summary>The processed canvas size for a source size (step 2 of the sizing rule).</summary>
    /// <param name="width">Source width.</param>
    /// <param name="height">Source height.</param>
    /// <param name="options">Processor settings.</param>
    /// <returns>The target width and height, multiples of the base.</returns>
    public static (int Width, int Height) ComputeTargetSize(int width, int height, ImageSizingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int baseSize = options.Base;
        double w = width, h = height;
        double longest = Math.Max(w, h);
        if (longest > options.LongestSideCap)
        {
            double s = options.LongestSideCap / longest;
            w *= s;
            h *= s;
        }

        double minArea = (double)baseSize * baseSize * options.MinTokens;
        if (w * h < minArea)
        {
            double s = Math.Sqrt(minArea / (w * h));
            w *= s;
            h *= s;
        }

        double maxArea = (double)options.MaxSize * options.MaxSize;
        if (w * h > maxArea)
        {
            double s = Math.Sqrt(maxArea / (w * h));
            w *= s;
            h *= s;
        }

        int targetWidth = Math.Max(1, (int)Math.Ceiling(w / baseSize)) * baseSize;
        int targetHeight = Math.Max(1, (int)Math.Ceiling(h / baseSize)) * baseSize;
        return (targetWidth, targetHeight);
    }

    /// <summary>The number of image tokens the model spends on this image (one per base x base cell).</summary>
    /// <param name="options">Processor settings; null for <see cref="ImageSizingOptions.AndesVL"/>.</param>
    /// <returns>(W / base) * (H / base).</returns>
    public int TokenCount(ImageSizingOptions? options = null)
    {
        int b = (options ?? ImageSizingOptions.AndesVL).Base;
        return ProcessedWidth / b * (ProcessedHeight / b);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{SourceWidth}x{SourceHeight} -> {ProcessedWidth}x{ProcessedHeight} (content {ContentWidth}x{ContentHeight} at {ContentX},{ContentY})");
}
