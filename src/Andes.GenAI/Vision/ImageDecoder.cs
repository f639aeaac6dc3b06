using StbImageSharp;

namespace Andes.GenAI;

/// <summary>
/// Decodes PNG, JPEG, BMP and GIF (first frame) to packed RGB with StbImageSharp. The header and the container
/// structure are checked first, so empty, unsupported, truncated, corrupt and oversized images (decompression bombs)
/// fail with <see cref="InvalidImageException"/> before any pixel memory is allocated. Alpha is dropped without
/// compositing, grey and palette images are expanded, 16-bit channels keep their high byte (as Pillow's
/// <c>convert("RGB")</c> does for these formats). Thread-safe.
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

        ImageHeaderReader.CheckComplete(data, header, sourceName);
        ImageResult result;
        try
        {
            fixed (byte* pointer = data)
            {
                using var stream = new UnmanagedMemoryStream(pointer, data.Length);
                result = ImageResult.FromStream(stream, ColorComponents.RedGreenBlue);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string reason = string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : ex.Message.Trim();
            throw new InvalidImageException(
                ImageErrorKind.Corrupt,
                $"{name} ({header}) could not be decoded: {reason}.",
                sourceName, header.Format, header.Width, header.Height, ex);
        }

        if (result is null || result.Data is null || result.Width != header.Width || result.Height != header.Height
            || result.Data.Length < 3L * header.Width * header.Height)
        {
            throw new InvalidImageException(
                ImageErrorKind.Corrupt,
                $"{name} ({header}) decoded to {result?.Width ?? 0} x {result?.Height ?? 0} pixels.",
                sourceName, header.Format, header.Width, header.Height);
        }

        return new RgbImage(result.Data, result.Width, result.Height);
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
