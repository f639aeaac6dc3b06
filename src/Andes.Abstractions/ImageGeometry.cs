namespace Andes;

/// <summary>
/// Where an image ends up in the model's input: its original size, the size it is resized to, the padded canvas
/// (a multiple of 2 x patch on both sides) and the offset of the resized image inside the canvas, plus the patch grid
/// and token count. Use <see cref="OriginalToPadded"/> and <see cref="PaddedToOriginal"/> to map coordinates.
/// </summary>
public readonly struct ImageGeometry : IEquatable<ImageGeometry>
{
    internal ImageGeometry(
        int originalWidth, int originalHeight, int cappedWidth, int cappedHeight, int resizedWidth, int resizedHeight,
        int paddedWidth, int paddedHeight, int offsetX, int offsetY, int patchSize, int mergeSize)
    {
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        CappedWidth = cappedWidth;
        CappedHeight = cappedHeight;
        ResizedWidth = resizedWidth;
        ResizedHeight = resizedHeight;
        PaddedWidth = paddedWidth;
        PaddedHeight = paddedHeight;
        OffsetX = offsetX;
        OffsetY = offsetY;
        PatchSize = patchSize;
        MergeSize = mergeSize;
    }

    /// <summary>
    /// Creates a geometry from its rectangles, for a client that sized the image itself: <paramref name="originalWidth"/>
    /// x <paramref name="originalHeight"/> drawn at <paramref name="resizedWidth"/> x <paramref name="resizedHeight"/>,
    /// offset by (<paramref name="offsetX"/>, <paramref name="offsetY"/>), on a <paramref name="paddedWidth"/> x
    /// <paramref name="paddedHeight"/> canvas. Use <see cref="Compute"/> for AndesVL's own sizing.
    /// </summary>
    /// <param name="originalWidth">The image's width.</param>
    /// <param name="originalHeight">The image's height.</param>
    /// <param name="paddedWidth">The canvas width.</param>
    /// <param name="paddedHeight">The canvas height.</param>
    /// <param name="offsetX">Where the image starts on the canvas (left).</param>
    /// <param name="offsetY">Where the image starts on the canvas (top).</param>
    /// <param name="resizedWidth">The image's width on the canvas.</param>
    /// <param name="resizedHeight">The image's height on the canvas.</param>
    /// <param name="patchSize">The vision tower's patch size (for the grid and token counts).</param>
    /// <param name="mergeSize">Patches merged per image token along each side.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the image does not fit the canvas.</exception>
    public ImageGeometry(
        int originalWidth, int originalHeight, int paddedWidth, int paddedHeight, int offsetX, int offsetY, int resizedWidth, int resizedHeight, int patchSize = 14, int mergeSize = 2)
        : this(originalWidth, originalHeight, originalWidth, originalHeight, resizedWidth, resizedHeight, paddedWidth, paddedHeight, offsetX, offsetY, patchSize, mergeSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(originalWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originalHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(paddedWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(paddedHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resizedWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resizedHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(mergeSize, 1);
        if (offsetX < 0 || offsetY < 0 || offsetX + resizedWidth > paddedWidth || offsetY + resizedHeight > paddedHeight)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offsetX),
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The image rectangle ({offsetX},{offsetY} {resizedWidth}x{resizedHeight}) does not fit the {paddedWidth}x{paddedHeight} canvas."));
        }
    }

    /// <summary>Where AndesVL's preprocessing puts a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    /// <param name="options">The sizing (default <see cref="ImageSizingOptions.AndesVL"/>: patch 14, max_size 733).</param>
    /// <returns>The geometry.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the options are invalid.</exception>
    public static ImageGeometry Compute(int width, int height, ImageSizingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        options ??= ImageSizingOptions.AndesVL;
        options.Validate();
        return ImageSizing.Compute(width, height, options.Rule, options.PatchSize, options.MergeSize, options.MaxSize, options.LongestSideCap, options.MinTokens);
    }

    /// <summary>The geometry of a client that sends images as they are (no resize, no padding).</summary>
    /// <param name="width">The image's width.</param>
    /// <param name="height">The image's height.</param>
    public static ImageGeometry Identity(int width, int height) => new(width, height, width, height, 0, 0, width, height);

    /// <summary>Horizontal scale from the original image to the canvas.</summary>
    public double ScaleX => (double)ResizedWidth / OriginalWidth;

    /// <summary>Vertical scale from the original image to the canvas.</summary>
    public double ScaleY => (double)ResizedHeight / OriginalHeight;

    /// <summary>Whether the canvas is the original image unchanged.</summary>
    public bool IsIdentity => PaddedWidth == OriginalWidth && PaddedHeight == OriginalHeight && OffsetX == 0 && OffsetY == 0
        && ResizedWidth == OriginalWidth && ResizedHeight == OriginalHeight;

    /// <summary>The input width in pixels.</summary>
    public int OriginalWidth { get; }

    /// <summary>The input height in pixels.</summary>
    public int OriginalHeight { get; }

    /// <summary>The width after the longest-side cap (equal to <see cref="OriginalWidth"/> unless <see cref="IsCapped"/>).</summary>
    public int CappedWidth { get; }

    /// <summary>The height after the longest-side cap (equal to <see cref="OriginalHeight"/> unless <see cref="IsCapped"/>).</summary>
    public int CappedHeight { get; }

    /// <summary>True when the sizing rule first resized the image to fit the longest-side cap (a separate resampling step).</summary>
    public bool IsCapped => CappedWidth != OriginalWidth || CappedHeight != OriginalHeight;

    /// <summary>The width of the resized image inside the canvas.</summary>
    public int ResizedWidth { get; }

    /// <summary>The height of the resized image inside the canvas.</summary>
    public int ResizedHeight { get; }

    /// <summary>The canvas width (a multiple of 2 x patch).</summary>
    public int PaddedWidth { get; }

    /// <summary>The canvas height (a multiple of 2 x patch).</summary>
    public int PaddedHeight { get; }

    /// <summary>Left edge of the resized image in the canvas: <c>(PaddedWidth - ResizedWidth) / 2</c>, rounded down.</summary>
    public int OffsetX { get; }

    /// <summary>Top edge of the resized image in the canvas: <c>(PaddedHeight - ResizedHeight) / 2</c>, rounded down.</summary>
    public int OffsetY { get; }

    /// <summary>The patch side in pixels (14 for AIMv2, 16 for SigLIP2).</summary>
    public int PatchSize { get; }

    /// <summary>The patch merge factor per side (2: each token is a 2 x 2 group of patches).</summary>
    public int MergeSize { get; }

    /// <summary>Patch rows: <c>PaddedHeight / PatchSize</c>.</summary>
    public int GridHeight => PaddedHeight / PatchSize;

    /// <summary>Patch columns: <c>PaddedWidth / PatchSize</c>.</summary>
    public int GridWidth => PaddedWidth / PatchSize;

    /// <summary>Patches: <c>GridHeight * GridWidth</c> (rows of the pixel matrix).</summary>
    public int PatchCount => GridHeight * GridWidth;

    /// <summary>Values per patch: <c>3 * PatchSize * PatchSize</c> (columns of the pixel matrix).</summary>
    public int PatchDimension => 3 * PatchSize * PatchSize;

    /// <summary>Floats in the pixel matrix: <c>PatchCount * PatchDimension</c>.</summary>
    public int ValueCount => PatchCount * PatchDimension;

    /// <summary>Image tokens: <c>(PaddedWidth / (PatchSize * MergeSize)) * (PaddedHeight / (PatchSize * MergeSize))</c>.</summary>
    public int TokenCount => PaddedWidth / (PatchSize * MergeSize) * (PaddedHeight / (PatchSize * MergeSize));

    /// <summary>Maps a point of the original image (pixel-edge coordinates) to the padded canvas.</summary>
    /// <param name="x">X in original pixels (0 = left edge, <see cref="OriginalWidth"/> = right edge).</param>
    /// <param name="y">Y in original pixels.</param>
    /// <returns>The point in canvas pixels.</returns>
    public (double X, double Y) OriginalToPadded(double x, double y) =>
        (OffsetX + x * ResizedWidth / OriginalWidth, OffsetY + y * ResizedHeight / OriginalHeight);

    /// <summary>Maps a point of the padded canvas (pixel-edge coordinates) back to the original image.</summary>
    /// <param name="x">X in canvas pixels.</param>
    /// <param name="y">Y in canvas pixels.</param>
    /// <returns>The point in original pixels (outside the image when the point lies in the padding).</returns>
    public (double X, double Y) PaddedToOriginal(double x, double y) =>
        ((x - OffsetX) * OriginalWidth / ResizedWidth, (y - OffsetY) * OriginalHeight / ResizedHeight);

    /// <inheritdoc />
    public bool Equals(ImageGeometry other) =>
        OriginalWidth == other.OriginalWidth && OriginalHeight == other.OriginalHeight
        && CappedWidth == other.CappedWidth && CappedHeight == other.CappedHeight
        && ResizedWidth == other.ResizedWidth && ResizedHeight == other.ResizedHeight
        && PaddedWidth == other.PaddedWidth && PaddedHeight == other.PaddedHeight
        && OffsetX == other.OffsetX && OffsetY == other.OffsetY
        && PatchSize == other.PatchSize && MergeSize == other.MergeSize;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ImageGeometry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(
            HashCode.Combine(OriginalWidth, OriginalHeight, CappedWidth, CappedHeight),
            HashCode.Combine(ResizedWidth, ResizedHeight, PaddedWidth, PaddedHeight),
            HashCode.Combine(OffsetX, OffsetY, PatchSize, MergeSize));

    /// <inheritdoc />
    public override string ToString() =>
        $"{OriginalWidth}x{OriginalHeight}" + (IsCapped ? $" -> capped {CappedWidth}x{CappedHeight}" : string.Empty)
        + $" -> {ResizedWidth}x{ResizedHeight} at ({OffsetX},{OffsetY}) in {PaddedWidth}x{PaddedHeight}"
        + $", grid {GridHeight}x{GridWidth}, {TokenCount} tokens";

    /// <summary>Compares two geometries.</summary>
    /// <param name="left">The first geometry.</param>
    /// <param name="right">The second geometry.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(ImageGeometry left, ImageGeometry right) => left.Equals(right);

    /// <summary>Compares two geometries.</summary>
    /// <param name="left">The first geometry.</param>
    /// <param name="right">The second geometry.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ImageGeometry left, ImageGeometry right) => !left.Equals(right);
}
