using System.Buffers.Binary;
using System.Globalization;

namespace Andes.Agents.Gui;

/// <summary>An encoded image's size and media type, read from its header only (PNG, JPEG, GIF, BMP).</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="MediaType">The media type, e.g. <c>image/png</c>.</param>
public sealed record ImageInfo(int Width, int Height, string MediaType)
{
    /// <summary>Reads the size and media type of an encoded image.</summary>
    /// <param name="data">The file bytes (the header is enough for PNG, GIF and BMP; JPEG needs up to its SOF marker).</param>
    /// <param name="name">A name for error messages (a file path).</param>
    /// <returns>The information.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a PNG, JPEG, GIF or BMP image, or the header is cut short.</exception>
    public static ImageInfo Read(ReadOnlySpan<byte> data, string name = "image")
    {
        if (data.Length >= 24 && data[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return new ImageInfo(BinaryPrimitives.ReadInt32BigEndian(data[16..]), BinaryPrimitives.ReadInt32BigEndian(data[20..]), "image/png");
        }

        if (data.Length >= 10 && (data[..6].SequenceEqual("GIF87a"u8) || data[..6].SequenceEqual("GIF89a"u8)))
        {
            return new ImageInfo(BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]), "image/gif");
        }

        if (data.Length >= 26 && data[0] == (byte)'B' && data[1] == (byte)'M')
        {
            return new ImageInfo(BinaryPrimitives.ReadInt32LittleEndian(data[18..]), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(data[22..])), "image/bmp");
        }

        if (data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return ReadJpeg(data, name);
        }

        throw new InvalidDataException($"{name}: not a PNG, JPEG, GIF or BMP image (unrecognised header).");
    }

    /// <summary>Reads the size and media type of an image file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The information.</returns>
    /// <exception cref="InvalidDataException">The file is not a recognised image.</exception>
    public static ImageInfo ReadFile(string path) => Read(File.ReadAllBytes(path), path);

    private static ImageInfo ReadJpeg(ReadOnlySpan<byte> data, string name)
    {
        int i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                i++;
                continue;
            }

            byte marker = data[i + 1];
            if (marker is 0xFF)
            {
                i++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            bool startOfFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (startOfFrame && i + 9 <= data.Length)
            {
                int height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return new ImageInfo(width, height, "image/jpeg");
            }

            i += 2 + length;
        }

        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name}: a JPEG without a start-of-frame marker in its {data.Length} bytes."));
    }
}
