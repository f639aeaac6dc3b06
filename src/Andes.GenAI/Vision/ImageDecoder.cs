using SkiaSharp;

namespace Andes.GenAI;

/// <summary>
/// Decodes PNG, JPEG, BMP and GIF (first frame) to packed RGB with SkiaSharp (JPEG through libjpeg-turbo, bit-exact
/// with Pillow's decoding). The header and the container structure are checked first, so empty, unsupported,
/// truncated, corrupt and oversized images (decompression bombs) fail with <see cref="InvalidImageException"/> before
/// any pixel memory is allocated. Alpha is dropped without compositing, grey and palette images are expanded, 16-bit
/// channels keep their high byte (as Pillow's <c>convert("RGB")</c> does for these formats). Thread-safe.
/// </summary>
public static class ImageDecoder
{
    private static readonly ImageDecoderOptions DefaultOptions = new();

    /// <summary>Recognises the format and reads the claimed size without decoding.</summary>
    /// <param name="data">The encoded image (the first few hundred bytes suffice for PNG, GIF and BMP).</param>
    /// <param name="sourceName">A name for error messages.</param>
    /// <returns>The format and claimed size.</returns>
    /// <exception cref="InvalidImageException">Empty, unsupported, or the header is truncated or invalid.</exception>
    public static ImageHeader ReadHeader(ReadOnlySpan<byte> data, string? sourceName = null) => ImageHeaderReader.ReadHeader(data, sourceName);

    /// <summary>Decodes an encoded image.</summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="sourceName">A name for error messages (file name, URI, message part).</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <returns>The RGB image.</returns>
    /// <exception cref="InvalidImageException">Empty, unsupported, truncated, corrupt, or more pixels than <see cref="ImageDecoderOptions.MaxPixels"/>.</exception>
    public static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string? sourceName = null, ImageDecoderOptions? options = null)
    {
        long maxPixels = (options ?? DefaultOptions).MaxPixels;
        ImageHeader header = ImageHeaderReader.ReadHeader(data, sourceName);
        string name = ImageHeaderReader.Describe(sourceName);
        if (header.PixelCount > maxPixels)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge,
                $"{name} ({header.Format}) claims {header.Width} x {header.Height} = {header.PixelCount} pixels, more than the limit of {maxPixels} (ImageDecoderOptions.MaxPixels); rejected before decoding.",
                sourceName, header.Format, header.Width, header.Height);
        }

        // The RGBA buffer Skia decodes into is one array: a MaxPixels raised past what an array holds still fails typed.
        if (4L * header.PixelCount > Array.MaxLength)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge,
                $"{name} ({header.Format}) claims {header.Width} x {header.Height} = {header.PixelCount} pixels, more than one decoding buffer holds; rejected before decoding.",
                sourceName, header.Format, header.Width, header.Height);
        }

        // Skia only ever sees data whose header and container structure passed the checks above.
        ImageHeaderReader.CheckComplete(data, header, sourceName);
        byte[] pixels;
        try
        {
            pixels = DecodeToRgb(data, header);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidImageException(
                ImageErrorKind.Corrupt,
                $"{name} ({header}) could not be decoded: {ex.Message}.",
                sourceName, header.Format, header.Width, header.Height, ex);
        }

        return new RgbImage(pixels, header.Width, header.Height);
    }

    /// <summary>
    /// Decodes with Skia to unpremultiplied RGBA (so alpha is dropped, never composited), then packs the pixels to RGB
    /// in place: one allocation of the decoded size, no per-pixel allocation. The codec reads the caller's bytes where
    /// they are (pinned, not copied).
    /// </summary>
    private static unsafe byte[] DecodeToRgb(ReadOnlySpan<byte> data, ImageHeader header)
    {
        fixed (byte* pointer = data)
        {
            using SKData skData = SKData.Create((IntPtr)pointer, data.Length);
            using SKCodec codec = SKCodec.Create(skData) ?? throw new InvalidDataException("Skia does not recognise the data");
            if (codec.Info.Width != header.Width || codec.Info.Height != header.Height)
            {
                throw new InvalidDataException($"Skia reads {codec.Info.Width} x {codec.Info.Height} pixels from it");
            }

            // No colour space on the target: the codec converts no ICC profile, as Pillow's convert("RGB") does not.
            var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            byte[] pixels = GC.AllocateUninitializedArray<byte>((int)info.BytesSize64);
            SKCodecResult result;
            fixed (byte* target = pixels)
            {
                // Frame 0 by default: a GIF's first frame. Anything short of Success (a short file) is an error, as in
                // Pillow, so the uninitialised buffer is never returned part-written.
                result = codec.GetPixels(info, (IntPtr)target);
            }

            if (result != SKCodecResult.Success)
            {
                throw new InvalidDataException($"Skia stopped with {result}");
            }

            PackRgbaToRgb(pixels);
            return pixels;
        }
    }

    /// <summary>Packs RGBA to RGB in the same buffer (each write lands at or before the pixel it came from).</summary>
    private static void PackRgbaToRgb(Span<byte> pixels)
    {
        int count = pixels.Length / 4;
        for (int i = 0; i < count; i++)
        {
            int from = i * 4, to = i * 3;
            pixels[to] = pixels[from];
            pixels[to + 1] = pixels[from + 1];
            pixels[to + 2] = pixels[from + 2];
        }
    }

    /// <summary>Reads and decodes an image file.</summary>
    /// <param name="path">The file; its name appears in error messages.</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <returns>The RGB image.</returns>
    /// <exception cref="InvalidImageException">Empty, unsupported, truncated, corrupt, or more pixels than <see cref="ImageDecoderOptions.MaxPixels"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RgbImage DecodeFile(string path, ImageDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data = File.ReadAllBytes(path);
        return Decode(data, path, options);
    }
}
