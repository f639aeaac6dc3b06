using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Andes.Agents.Gui;

/// <summary>
/// Decodes PNG files into <see cref="BgraImage"/>s: non-interlaced grey (1-16 bits), grey + alpha, RGB and RGBA (8 or
/// 16 bits per channel; 16-bit samples keep their high byte) and palettes (1-8 bits, with <c>tRNS</c> alpha). Enough
/// for screenshots and grounding datasets; interlaced files are rejected with <see cref="InvalidDataException"/>.
/// </summary>
/// <remarks>Stateless and thread-safe. Chunk CRCs are not checked; a truncated or corrupt stream is an error.</remarks>
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
        byte[]? palette = null, transparency = null;
        using var idat = new MemoryStream();
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

                if (body[12] != 0)
                {
                    throw Error(name, "interlaced PNGs are not supported");
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
                palette = body.ToArray();
            }
            else if (type.SequenceEqual("tRNS"u8))
            {
                transparency = body.ToArray();
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                idat.Write(body);
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

        if (colorType == 3 && palette is null)
        {
            throw Error(name, "a palette image without a PLTE chunk");
        }

        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bytesPerPixel = Math.Max(1, channels * bitDepth / 8);
        int rowBytes = checked((int)(((long)width * channels * bitDepth + 7) / 8));
        byte[] raw = new byte[checked((long)height * (rowBytes + 1))];
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            int read = 0;
            try
            {
                while (read < raw.Length)
                {
                    int n = zlib.Read(raw, read, raw.Length - read);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }
            }
            catch (InvalidDataException e)
            {
                throw Error(name, "corrupt compressed data: " + e.Message);
            }

            if (read < raw.Length)
            {
                throw Error(name, string.Create(CultureInfo.InvariantCulture, $"the image data holds {read} bytes; {width}x{height} needs {raw.Length}"));
            }
        }

        var image = new BgraImage(width, height);
        byte[] previous = new byte[rowBytes];
        byte[] current = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (rowBytes + 1)];
            raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes).CopyTo(current);
            Unfilter(filter, current, previous, bytesPerPixel, name, y);
            ToBgra(current, image.GetRow(y), colorType, bitDepth, palette, transparency);
            (previous, current) = (current, previous);
        }

        return image;
    }

    /// <summary>Reads and decodes a PNG file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The image.</returns>
    /// <exception cref="InvalidDataException">Not a supported PNG (the message names the file).</exception>
    public static BgraImage DecodeFile(string path) => Decode(File.ReadAllBytes(path), path);

    private static void Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> previous, int bpp, string name, int y)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += previous[i];
                }

                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((left + previous[i]) >> 1);
                }

                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw Error(name, string.Create(CultureInfo.InvariantCulture, $"row {y} has unknown filter type {filter}"));
        }
    }

    private static void ToBgra(ReadOnlySpan<byte> row, Span<byte> bgra, int colorType, int bitDepth, byte[]? palette, byte[]? transparency)
    {
        int pixels = bgra.Length / 4;
        int sampleBytes = Math.Max(1, bitDepth / 8);
        int mask = (1 << Math.Min(bitDepth, 8)) - 1;
        for (int x = 0; x < pixels; x++)
        {
            byte r, g, b, a = 255;
            switch (colorType)
            {
                case 0:
                    r = g = b = bitDepth < 8 ? (byte)(Packed(row, x, bitDepth, mask) * 255 / mask) : row[x * sampleBytes];
                    break;
                case 2:
                    r = row[3 * x * sampleBytes];
                    g = row[(3 * x + 1) * sampleBytes];
                    b = row[(3 * x + 2) * sampleBytes];
                    break;
                case 3:
                    int index = bitDepth < 8 ? Packed(row, x, bitDepth, mask) : row[x];
                    if (3 * index + 2 >= palette!.Length)
                    {
                        r = g = b = 0;
                    }
                    else
                    {
                        r = palette[3 * index];
                        g = palette[3 * index + 1];
                        b = palette[3 * index + 2];
                    }

                    if (transparency is not null && index < transparency.Length)
                    {
                        a = transparency[index];
                    }

                    break;
                case 4:
                    r = g = b = row[2 * x * sampleBytes];
                    a = row[(2 * x + 1) * sampleBytes];
                    break;
                default:
                    r = row[4 * x * sampleBytes];
                    g = row[(4 * x + 1) * sampleBytes];
                    b = row[(4 * x + 2) * sampleBytes];
                    a = row[(4 * x + 3) * sampleBytes];
                    break;
            }

            bgra[4 * x] = b;
            bgra[4 * x + 1] = g;
            bgra[4 * x + 2] = r;
            bgra[4 * x + 3] = a;
        }
    }

    /// <summary>Sample x of a row packed at 1, 2 or 4 bits, most significant bits first.</summary>
    private static int Packed(ReadOnlySpan<byte> row, int x, int bitDepth, int mask)
    {
        int bit = x * bitDepth;
        return (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & mask;
    }

    private static InvalidDataException Error(string name, string what) => new($"{name}: {what}.");
}
