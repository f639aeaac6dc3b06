using System.Buffers;

namespace Andes.GenAI;

/// <summary>
/// AndesVL's image preprocessing: sizing (see <see cref="ImageSizingRule"/>), a resize that matches Pillow's
/// <c>Image.resize</c> byte for byte, a centred paste on a canvas filled with <c>floor(mean * 255)</c>, rescale and
/// normalisation, and the patch matrix in the 2 x 2-group order the vision tower reads.
/// </summary>
/// <remarks>
/// Thread-safe: the options are copied at construction and every call uses its own pooled scratch buffers.
/// Inputs: encoded PNG/JPEG/BMP/GIF (<see cref="ProcessEncoded"/>, <see cref="ProcessFile"/>), decoded images
/// (<see cref="RgbImage"/>) or raw RGB/BGR/RGBA/BGRA buffers with a stride (screen captures; no encode or decode).
/// </remarks>
public sealed class ImageProcessor
{
    private readonly ImageProcessorOptions _options;
    private readonly ImageSizingOptions _sizing; // immutable, made once: GetGeometry runs for every image of every prompt
    private readonly float[] _table;
    private readonly byte[] _fill;

    /// <summary>Creates a processor.</summary>
    /// <param name="options">The options (copied); null for <see cref="ImageProcessorOptions.AimV2"/>.</param>
    /// <exception cref="ArgumentException">An option has an impossible value (the parameter name says which).</exception>
    public ImageProcessor(ImageProcessorOptions? options = null)
    {
        _options = (options ?? ImageProcessorOptions.AimV2).Clone();
        _options.Validate();
        _sizing = _options.ToSizingOptions();
        _table = PatchFlattener.BuildTable(_options.DoRescale, _options.RescaleFactor, _options.DoNormalize, _options.ImageMean, _options.ImageStd);

        // Python's int(mean * 255) on the float32 mean promoted to double.
        _fill = [.. _options.ImageMean.Select(m => (byte)Math.Clamp((int)((double)m * 255), 0, 255))];
    }

    /// <summary>Gets a copy of the options in use.</summary>
    public ImageProcessorOptions Options => _options.Clone();

    /// <summary>The canvas colour (R, G, B) the padding is filled with: <c>floor(mean * 255)</c>.</summary>
    public ReadOnlySpan<byte> PaddingColor => _fill;

    /// <summary>Creates a processor from a model folder's processor config (see <see cref="ImageProcessorOptions.FromPreprocessorConfig"/>).</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The processor.</returns>
    public static ImageProcessor FromPreprocessorConfig(string path) => new(ImageProcessorOptions.FromPreprocessorConfig(path));

    /// <summary>Computes where an image of this size ends up (sizes, offset, grid, token count) without touching pixels.</summary>
    /// <param name="width">The image width in pixels.</param>
    /// <param name="height">The image height in pixels.</param>
    /// <returns>The geometry.</returns>
    public ImageGeometry GetGeometry(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return ImageGeometry.Compute(width, height, _sizing);
    }

    /// <summary>Processes a decoded image.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The patch matrix and geometry; dispose it to return its buffer.</returns>
    public ProcessedImage Process(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Process(image.AsSource());
    }

    /// <summary>Processes a raw pixel buffer (for example a screen capture) without any encode or decode.</summary>
    /// <param name="pixels">The pixels; row y starts at <c>y * stride</c>.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="format">The pixel layout.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means packed.</param>
    /// <returns>The patch matrix and geometry; dispose it to return its buffer.</returns>
    /// <exception cref="InvalidImageException">The buffer does not hold the given size, or the size exceeds <see cref="ImageDecoderOptions.MaxPixels"/>.</exception>
    public ProcessedImage Process(ReadOnlySpan<byte> pixels, int width, int height, ImagePixelFormat format, int stride = 0) =>
        Process(PixelSource.Create(pixels, width, height, format, stride, _options.Decoder.MaxPixels, sourceName: null));

    /// <summary>Processes a raw pixel buffer into a caller's buffer (no allocation beyond pooled scratch).</summary>
    /// <param name="pixels">The pixels; row y starts at <c>y * stride</c>.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="format">The pixel layout.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means packed.</param>
    /// <param name="destination">At least <see cref="ImageGeometry.ValueCount"/> floats of <see cref="GetGeometry"/>.</param>
    /// <returns>The geometry.</returns>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    /// <exception cref="InvalidImageException">The buffer does not hold the given size, or the size exceeds <see cref="ImageDecoderOptions.MaxPixels"/>.</exception>
    public ImageGeometry ProcessInto(ReadOnlySpan<byte> pixels, int width, int height, ImagePixelFormat format, int stride, Span<float> destination)
    {
        PixelSource source = PixelSource.Create(pixels, width, height, format, stride, _options.Decoder.MaxPixels, sourceName: null);
        ImageGeometry geometry = GetGeometry(width, height);
        if (destination.Length < geometry.ValueCount)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} floats; the {width} x {height} image needs {geometry.ValueCount} ({geometry}).",
                nameof(destination));
        }

        Run(source, geometry, destination);
        return geometry;
    }

    /// <summary>Decodes (PNG, JPEG, BMP, GIF first frame) and processes an encoded image.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="sourceName">A name for error messages (file name, URI, message part).</param>
    /// <returns>The patch matrix and geometry; dispose it to return its buffer.</returns>
    /// <exception cref="InvalidImageException">Empty, unsupported, truncated, corrupt or too large.</exception>
    public ProcessedImage ProcessEncoded(ReadOnlySpan<byte> encoded, string? sourceName = null) =>
        Process(ImageDecoder.Decode(encoded, sourceName, _options.Decoder));

    /// <summary>Reads, decodes and processes an image file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The patch matrix and geometry; dispose it to return its buffer.</returns>
    /// <exception cref="InvalidImageException">Empty, unsupported, truncated, corrupt or too large.</exception>
    public ProcessedImage ProcessFile(string path) => Process(ImageDecoder.DecodeFile(path, _options.Decoder));

    /// <summary>The resized, padded 8-bit canvas (packed RGB, PaddedWidth x PaddedHeight) before normalisation; for tests and tools.</summary>
    internal byte[] RenderCanvas(ReadOnlySpan<byte> pixels, int width, int height, ImagePixelFormat format, int stride, out ImageGeometry geometry)
    {
        PixelSource source = PixelSource.Create(pixels, width, height, format, stride, _options.Decoder.MaxPixels, sourceName: null);
        geometry = GetGeometry(width, height);
        var canvas = new byte[3 * geometry.PaddedWidth * geometry.PaddedHeight];
        RenderCanvas(source, geometry, canvas);
        return canvas;
    }

    private ProcessedImage Process(in PixelSource source)
    {
        ImageGeometry geometry = GetGeometry(source.Width, source.Height);
        float[] buffer = ArrayPool<float>.Shared.Rent(geometry.ValueCount);
        try
        {
            Run(source, geometry, buffer.AsSpan(0, geometry.ValueCount));
            return new ProcessedImage(buffer, geometry);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(buffer);
            throw;
        }
    }

    private void Run(in PixelSource source, ImageGeometry geometry, Span<float> destination)
    {
        bool untouched = !geometry.IsCapped
            && geometry.ResizedWidth == source.Width && geometry.ResizedHeight == source.Height
            && geometry.PaddedWidth == source.Width && geometry.PaddedHeight == source.Height;
        if (untouched)
        {
            PatchFlattener.Flatten(source, _options.PatchSize, _options.MergeSize, _table, destination);
            return;
        }

        int canvasBytes = 3 * geometry.PaddedWidth * geometry.PaddedHeight;
        byte[] canvas = ArrayPool<byte>.Shared.Rent(canvasBytes);
        try
        {
            RenderCanvas(source, geometry, canvas.AsSpan(0, canvasBytes));
            var padded = new PixelSource(canvas.AsSpan(0, canvasBytes), geometry.PaddedWidth, geometry.PaddedHeight, 3 * geometry.PaddedWidth, 3, swapRedBlue: false);
            PatchFlattener.Flatten(padded, _options.PatchSize, _options.MergeSize, _table, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(canvas);
        }
    }

    private void RenderCanvas(in PixelSource source, ImageGeometry geometry, Span<byte> canvas)
    {
        int stride = 3 * geometry.PaddedWidth;
        FillPadding(canvas, geometry);
        Span<byte> target = canvas[((geometry.OffsetY * stride) + (3 * geometry.OffsetX))..];
        if (!geometry.IsCapped)
        {
            PillowResampler.Resize(source, geometry.ResizedWidth, geometry.ResizedHeight, _options.Resample, target, stride);
            return;
        }

        // The published code first resizes to the capped integer size, then resizes again.
        int cappedBytes = 3 * geometry.CappedWidth * geometry.CappedHeight;
        byte[] capped = ArrayPool<byte>.Shared.Rent(cappedBytes);
        try
        {
            PillowResampler.Resize(source, geometry.CappedWidth, geometry.CappedHeight, _options.Resample, capped, 3 * geometry.CappedWidth);
            var cappedSource = new PixelSource(
                capped.AsSpan(0, cappedBytes), geometry.CappedWidth, geometry.CappedHeight, 3 * geometry.CappedWidth, 3, swapRedBlue: false);
            PillowResampler.Resize(cappedSource, geometry.ResizedWidth, geometry.ResizedHeight, _options.Resample, target, stride);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(capped);
        }
    }

    /// <summary>Fills everything outside the pasted rectangle with the padding colour.</summary>
    private void FillPadding(Span<byte> canvas, ImageGeometry g)
    {
        int stride = 3 * g.PaddedWidth;
        Span<byte> fullRow = canvas[..stride];
        for (int x = 0; x < g.PaddedWidth; x++)
        {
            fullRow[3 * x] = _fill[0];
            fullRow[(3 * x) + 1] = _fill[1];
            fullRow[(3 * x) + 2] = _fill[2];
        }

        for (int y = 1; y < g.PaddedHeight; y++)
        {
            bool inside = y >= g.OffsetY && y < g.OffsetY + g.ResizedHeight;
            Span<byte> row = canvas.Slice(y * stride, stride);
            if (!inside)
            {
                fullRow.CopyTo(row);
                continue;
            }

            fullRow[..(3 * g.OffsetX)].CopyTo(row);
            int right = 3 * (g.OffsetX + g.ResizedWidth);
            fullRow[right..].CopyTo(row[right..]);
        }
    }
}
