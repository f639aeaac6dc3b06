using System.Buffers.Binary;
using System.Globalization;
using SkiaSharp;

namespace Andes.Agents.Gui;

/// <summary>
/// Decodes PNG files into <see cref="BgraImage"/>s with SkiaSharp (libpng): grey (1-16 bits), grey + alpha, RGB and
/// RGBA (8 or 16 bits per channel) and palettes (1-8 bits, with <c>tRNS</c> alpha), interlaced or not. The chunk
/// structure and the size are checked before Skia sees the data or any pixel memory is allocated, so a hostile header
/// (a decompression bomb) fails with <see cref="InvalidDataException"/> first.
/// </summary>
/// <remarks>Stateless and thread-safe. A truncated or corrupt stream is an error.</remarks>
public static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The largest image decoded (pixels), as a guard against hostile headers.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>Decodes a PNG file's bytes.</summary>
    /// <param name="data">The file bytes.</param>
    /// <param name="name">A name for error messages (a file path).</param>
    /// <returns>The image (alpha 255 where the file has none).</returns>
    /// <exception cref="InvalidDataException">Not a PNG, an unsupported variant, or truncated/corrupt (the message names <paramref name="name"/> and what is wrong).</exception>
    public static BgraImage Decode(ReadOnlySpan<byte> data, string name = "image")
    {
        if (data.Length < 8 || !data[..8].SequenceEqual(Signature))
        {
            throw Error(name, "not a PNG file (bad signature)");
        }

        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        bool hasPalette = false, hasImageData = false;
        int offset = 8;
        bool end = false;
        while (!end)
        {
            if (offset + 8 > data.Length)
            {
                throw Error(name, "truncated (no IEND chunk)");
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            ReadOnlySpan<byte> type = data.Slice(offset + 4, 4);
            if (length < 0 || (long)offset + 12 + length > data.Length)
            {
                throw Error(name, string.Create(CultureInfo.InvariantCulture, $"truncated chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {offset}"));
            }

            ReadOnlySpan<byte> body = data.Slice(offset + 8, length);
            if (type.SequenceEqual("IHDR"u8))
            {
                if (length != 13)
                {
                    throw Error(name, "IHDR is not 13 bytes");
                }

                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                bitDepth = body[8];
                colorType = body[9];
                if (width < 1 || height < 1 || (long)width * height > MaxPixels)
                {
                    throw Error(name, string.Create(CultureInfo.InvariantCulture, $"size {width}x{height} is empty or above {MaxPixels} pixels"));
                }

                bool supported = colorType switch
                {
                    0 => bitDepth is 1 or 2 or 4 or 8 or 16,
                    2 or 4 or 6 => bitDepth is 8 or 16,
                    3 => bitDepth is 1 or 2 or 4 or 8,
                    _ => false,
                };
                if (!supported)
                {
                    throw Error(name, string.Create(CultureInfo.InvariantCulture, $"colour type {colorType} at {bitDepth} bits is not supported"));
                }
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                hasPalette = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                hasImageData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                end = true;
            }

            offset += 12 + length;
        }

        if (colorType < 0)
        {
            throw Error(name, "no IHDR chunk");
        }

        if (!hasImageData)
        {
            throw Error(name, "no IDAT chunk");
        }

        if (colorType == 3 && !hasPalette)
        {
            throw Error(name, "a palette image without a PLTE chunk");
        }

        var image = new BgraImage(width, height);
        DecodePixels(data, image, name);
        return image;
    }

    /// <summary>Reads and decodes a PNG file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The image.</returns>
    /// <exception cref="InvalidDataException">Not a supported PNG (the message names the file).</exception>
    public static BgraImage DecodeFile(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>
    /// Skia decodes straight into the image's buffer as unpremultiplied BGRA (alpha kept as stored, never applied to the
    /// colour), reading the caller's bytes where they are (pinned, not copied).
    /// </summary>
    private static unsafe void DecodePixels(ReadOnlySpan<byte> data, BgraImage image, string name)
    {
        fixed (byte* pointer = data)
        fixed (byte* target = image.Pixels)
        {
            using SKData skData = SKData.Create((IntPtr)pointer, data.Length);
            using SKCodec codec = SKCodec.Create(skData) ?? throw Error(name, "corrupt (the PNG decoder does not accept it)");
            if (codec.Info.Width != image.Width || codec.Info.Height != image.Height)
            {
                throw Error(name, string.Create(CultureInfo.InvariantCulture, $"the decoder reads {codec.Info.Width}x{codec.Info.Height}, the header {image.Width}x{image.Height}"));
            }

            // No colour space on the target: no ICC or gamma conversion, the stored samples are the pixels.
            var info = new SKImageInfo(image.Width, image.Height, SKColorType.Bgra8888, SKAlphaType.Unpremul);
            SKCodecResult result = codec.GetPixels(info, (IntPtr)target, image.Stride, new SKCodecOptions());
            if (result != SKCodecResult.Success)
            {
                throw Error(name, result == SKCodecResult.IncompleteInput ? "truncated image data" : "corrupt image data (" + result.ToString() + ")");
            }
        }
    }

    private static InvalidDataException Error(string name, string what) => new($"{name}: {what}.");
}
