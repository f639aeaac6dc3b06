using System.IO.Compression;
using SkiaSharp;

namespace Andes.Agents.Gui;

/// <summary>
/// Encodes a <see cref="BgraImage"/> as PNG (8-bit RGB or RGBA, non-interlaced) with SkiaSharp (libpng and zlib) for
/// sending to a model or saving a trajectory. libpng picks each row's filter (None, Sub, Up, Average, Paeth).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class PngEncoder
{
    /// <summary>The media type of the output.</summary>
    public const string MediaType = "image/png";

    /// <summary>Encodes an image into a new byte array.</summary>
    /// <param name="image">The image.</param>
    /// <param name="options">Settings; null for <see cref="PngEncoderOptions.Default"/>.</param>
    /// <returns>The PNG file bytes.</returns>
    public static byte[] Encode(BgraImage image, PngEncoderOptions? options = null)
    {
        using SKData data = EncodeToData(image, options);
        return data.ToArray();
    }

    /// <summary>Encodes an image into a stream.</summary>
    /// <param name="image">The image.</param>
    /// <param name="destination">Where the PNG file bytes go.</param>
    /// <param name="options">Settings; null for <see cref="PngEncoderOptions.Default"/>.</param>
    public static void Encode(BgraImage image, Stream destination, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using SKData data = EncodeToData(image, options);
        destination.Write(data.AsSpan());
    }

    private static unsafe SKData EncodeToData(BgraImage image, PngEncoderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= PngEncoderOptions.Default;

        // An opaque pixmap makes Skia write colour type 2 (RGB, the alpha bytes ignored); unpremultiplied writes colour
        // type 6 with the alpha as stored. No colour space: no sRGB or ICC chunk, the same bytes on every platform.
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Bgra8888, options.IncludeAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var pngOptions = new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, ZLibLevel(options.CompressionLevel));
        fixed (byte* pixels = image.Pixels)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pixels, image.Stride);
            return pixmap.Encode(pngOptions) ?? throw new InvalidOperationException($"Skia could not encode the {image.Width}x{image.Height} image as PNG.");
        }
    }

    /// <summary>.NET's levels mapped to zlib's, as <see cref="ZLibStream"/> maps them.</summary>
    private static int ZLibLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.NoCompression => 0,
        CompressionLevel.Fastest => 1,
        CompressionLevel.SmallestSize => 9,
        _ => 6,
    };
}
