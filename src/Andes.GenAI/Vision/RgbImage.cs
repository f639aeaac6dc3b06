namespace Andes.GenAI;

/// <summary>A decoded image: tightly packed 8-bit RGB, row-major, top row first (stride = 3 x width).</summary>
public sealed class RgbImage
{
    private readonly byte[] _pixels;

    internal RgbImage(byte[] pixels, int width, int height)
    {
        _pixels = pixels;
        Width = width;
        Height = height;
    }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels: <c>3 * Width * Height</c> bytes, R, G, B per pixel.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels.AsMemory(0, 3 * Width * Height);

    /// <summary>Copies a raw pixel buffer into a new packed RGB image.</summary>
    /// <param name="pixels">The pixels; row <c>y</c> starts at <c>y * stride</c>.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="format">The buffer's pixel layout.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means packed (width x bytes per pixel).</param>
    /// <returns>The image.</returns>
    /// <exception cref="InvalidImageException">The buffer is too small for the given size, or the size is not positive.</exception>
    public static RgbImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, ImagePixelFormat format, int stride = 0)
    {
        var source = PixelSource.Create(pixels, width, height, format, stride, long.MaxValue, sourceName: null);
        byte[] data = GC.AllocateUninitializedArray<byte>(checked(3 * width * height));
        source.CopyToRgb(data, 3 * width);
        return new RgbImage(data, width, height);
    }

    /// <summary>Wraps this image as a pixel source.</summary>
    internal PixelSource AsSource() => new(_pixels.AsSpan(0, 3 * Width * Height), Width, Height, 3 * Width, 3, swapRedBlue: false);
}
