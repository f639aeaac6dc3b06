using System.Globalization;

namespace Andes.Agents.Gui.Grounding;

/// <summary>
/// Where a source image (a screenshot) lands in the processed image the model sees: the processed canvas size (a
/// multiple of the resize step) and the rectangle the resized source occupies on it (the rest is padding).
/// </summary>
/// <remarks>
/// <see cref="Compute"/> is the Andes engine's sizing arithmetic, copied (this library does not reference the engine)
/// and checked against the engine's <c>ImageProcessor.GetGeometry</c> for thousands of sizes by the tests: for the same
/// <see cref="ImageSizingOptions"/> (rule, patch, merge, <c>max_size</c>, cap, minimum tokens) both compute the same
/// resized size, canvas and offset (<c>floor</c> of half the slack). When the longest-side cap applies, the engine
/// resizes twice (to the capped size, then to the content size); the mapping only needs the end-to-end scale
/// (content size / source size), which the two steps compose to exactly. Immutable and thread-safe.
/// </remarks>
public sealed record ImageGeometry
{
    /// <summary>Creates a geometry from explicit values (use <see cref="Compute"/> for the engine's rule).</summary>
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

    /// <summary>Processed canvas width (a multiple of the resize step).</summary>
    public int ProcessedWidth { get; }

    /// <summary>Processed canvas height (a multiple of the resize step).</summary>
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

    /// <summary>Applies the engine's sizing rule to a source image size.</summary>
    /// <param name="width">Source width in pixels.</param>
    /// <param name="height">Source height in pixels.</param>
    /// <param name="options">Processor settings; null for <see cref="ImageSizingOptions.AndesVL"/>.</param>
    /// <returns>The processed canvas and where the source lands on it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or a setting is out of range.</exception>
    public static ImageGeometry Compute(int width, int height, ImageSizingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        options ??= ImageSizingOptions.AndesVL;
        options.Validate();
        int step = options.Base;
        (int rw, int rh, int bw, int bh) = options.Rule == ImageSizingRule.AndesVL
            ? AndesVLRule(width, height, step, options.MaxSize, options.LongestSideCap, options.MinTokens)
            : SpecificationRule(width, height, step, options.MaxSize, options.LongestSideCap, options.MinTokens);
        rw = Math.Clamp(rw, 1, bw);
        rh = Math.Clamp(rh, 1, bh);
        return new ImageGeometry(width, height, bw, bh, (bw - rw) / 2, (bh - rh) / 2, rw, rh);
    }

    // The arithmetic below is the engine's (Andes.GenAI.Vision.ImageSizing), operation for operation: any change
    // there must be made here too (ImageGeometryEngineParityTests fails otherwise).

    /// <summary>Integer sizes after capping the longest side; the input when no cap applies.</summary>
    private static (int W, int H) Cap(int w, int h, int maxLongestSide)
    {
        int longest = Math.Max(w, h);
        if (longest <= maxLongestSide)
        {
            return (w, h);
        }

        double s = (double)maxLongestSide / longest;
        return (Math.Max(1, (int)(w * s)), Math.Max(1, (int)(h * s)));
    }

    private static (int, int, int, int) AndesVLRule(int width, int height, int step, int maxSize, int maxLongestSide, int minTokens)
    {
        (int w, int h) = Cap(width, height, maxLongestSide);
        long area = (long)w * h;
        if (area > (long)maxSize * maxSize)
        {
            return FitArea(w, h, maxSize, step, maxLongestSide);
        }

        if (area < (long)step * step * minTokens)
        {
            return FitArea(w, h, (int)(step * Math.Pow(minTokens, 0.5)), step, maxLongestSide);
        }

        // Each side gains up to one step, a full step when it already is a multiple.
        int boxW = w + step - w % step, boxH = h + step - h % step;
        double scale = Math.Min((double)boxW / w, (double)boxH / h);
        return ((int)(w * scale), (int)(h * scale), boxW, boxH);
    }

    /// <summary>The box around area <c>maxSize^2</c> with the image's aspect ratio, sides rounded up to the next multiple of the step.</summary>
    private static (int, int, int, int) FitArea(int w, int h, int maxSize, int step, int maxLongestSide)
    {
        double aspect = (double)w / h;
        double maxArea = (double)((long)maxSize * maxSize);
        long bw = (long)Math.Floor(Math.Sqrt(maxArea * aspect));
        long bh = (long)Math.Floor(Math.Sqrt(maxArea / aspect));
        bw = Math.Max(Math.Min(bw, maxLongestSide), step);
        bh = Math.Max(Math.Min(bh, maxLongestSide), step);
        bw = Math.Min(bw + (step - bw % step), maxLongestSide);
        bh = Math.Min(bh + (step - bh % step), maxLongestSide);

        // The published code can stop at the cap itself, which need not be a multiple of the step; round down.
        bw -= bw % step;
        bh -= bh % step;
        bw = Math.Max(bw, step);
        bh = Math.Max(bh, step);
        double f = Math.Min(bw / (double)w, bh / (double)h);
        int rw = (int)Math.Round(w * f, MidpointRounding.ToEven);
        int rh = (int)Math.Round(h * f, MidpointRounding.ToEven);
        return (rw, rh, (int)bw, (int)bh);
    }

    private static (int, int, int, int) SpecificationRule(int width, int height, int step, int maxSize, int maxLongestSide, int minTokens)
    {
        double w = width, h = height;
        if (Math.Max(w, h) > maxLongestSide)
        {
            double s = maxLongestSide / Math.Max(w, h);
            w *= s;
            h *= s;
        }

        if (w * h < (double)step * step * minTokens)
        {
            double s = Math.Sqrt((double)step * step * minTokens / (w * h));
            w *= s;
            h *= s;
        }

        if (w * h > (double)maxSize * maxSize)
        {
            double s = maxSize / Math.Sqrt(w * h);
            w *= s;
            h *= s;
        }

        int boxW = (int)Math.Ceiling(w / step) * step, boxH = (int)Math.Ceiling(h / step) * step;
        if (boxW == width && boxH == height)
        {
            return (width, height, boxW, boxH);
        }

        double scale = Math.Min((double)boxW / width, (double)boxH / height);
        return (Math.Max(1, (int)(width * scale)), Math.Max(1, (int)(height * scale)), boxW, boxH);
    }

    /// <summary>The number of image tokens the model spends on this image (one per step x step cell).</summary>
    /// <param name="options">Processor settings; null for <see cref="ImageSizingOptions.AndesVL"/>.</param>
    /// <returns>(W / step) * (H / step).</returns>
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
