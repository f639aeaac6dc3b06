using System.Buffers.Binary;

namespace Andes.GenAI;

/// <summary>
/// Recognises the format, reads the claimed size from the header and checks the container structure (a PNG's chunks
/// up to IEND, a JPEG's segments up to the scan and its EOI, a GIF's blocks through its first frame, a BMP's pixel array
/// size) - all without allocating, so bad and oversized images are rejected before the decoder allocates anything.
/// </summary>
internal static class ImageHeaderReader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageHeader ReadHeader(ReadOnlySpan<byte> data, string? sourceName)
    {
        string name = Describe(sourceName);
        if (data.IsEmpty)
        {
            throw new InvalidImageException(ImageErrorKind.Empty, $"{name} is empty (0 bytes).", sourceName);
        }

        ImageFormat format = Sniff(data, sourceName, name);
        return format switch
        {
            ImageFormat.Png => PngHeader(data, sourceName, name),
            ImageFormat.Jpeg => JpegHeader(data, sourceName, name, requireScan: false, out _),
            ImageFormat.Gif => GifHeader(data, sourceName, name),
            _ => BmpHeader(data, sourceName, name, out _),
        };
    }

    /// <summary>Checks that the data holds a complete image (not just a complete header).</summary>
    public static void CheckComplete(ReadOnlySpan<byte> data, ImageHeader header, string? sourceName)
    {
        string name = Describe(sourceName);
        switch (header.Format)
        {
            case ImageFormat.Png:
                PngChunks(data, header, sourceName, name);
                break;
            case ImageFormat.Jpeg:
                JpegHeader(data, sourceName, name, requireScan: true, out int scanStart);
                int end = data[scanStart..].IndexOf([(byte)0xFF, (byte)0xD9]);
                if (end < 0)
                {
                    throw Truncated(header, sourceName, name, "its entropy-coded data has no end-of-image marker (FF D9)");
                }

                // Every 8x8 block of every scan's first component costs at least one bit (its DC code).
                long blocks = ((header.Width + 7L) / 8) * ((header.Height + 7L) / 8);
                RequireData(header, sourceName, name, end, blocks / 8, "entropy-coded data (at least one bit per 8x8 block)");
                break;
            case ImageFormat.Gif:
                GifFirstFrame(data, header, sourceName, name);
                break;
            case ImageFormat.Bmp:
                BmpHeader(data, sourceName, name, out long pixelEnd);
                if (pixelEnd > data.Length)
                {
                    throw Truncated(header, sourceName, name, $"its pixel array needs {pixelEnd} bytes, the data has {data.Length}");
                }

                break;
        }
    }

    public static string Describe(string? sourceName) => sourceName is null ? "The image" : $"Image '{sourceName}'";

    private static ImageFormat Sniff(ReadOnlySpan<byte> data, string? sourceName, string name)
    {
        if (data.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        if (data.StartsWith("BM"u8))
        {
            return ImageFormat.Bmp;
        }

        string? known = KnownOtherFormat(data);
        if (known is null && (PngSignature.StartsWith(data) || (data.Length < 3 && data[0] == 0xFF) || "GIF89a"u8.StartsWith(data) || "GIF87a"u8.StartsWith(data) || "BM"u8.StartsWith(data)))
        {
            throw new InvalidImageException(ImageErrorKind.Truncated, $"{name} ends after {data.Length} bytes, inside its format signature.", sourceName);
        }

        string start = Convert.ToHexString(data[..Math.Min(8, data.Length)]);
        throw new InvalidImageException(
            ImageErrorKind.UnsupportedFormat,
            known is null
                ? $"{name} is not a PNG, JPEG, BMP or GIF image (it starts with {start})."
                : $"{name} looks like {known}, which is not supported; use PNG, JPEG, BMP or GIF.",
            sourceName);
    }

    private static string? KnownOtherFormat(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            return "HEIF/AVIF (ISO base media)";
        }

        if (data.StartsWith("8BPS"u8))
        {
            return "Photoshop (PSD)";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0]))
        {
            return "ICO";
        }

        if (data.StartsWith("%PDF"u8))
        {
            return "PDF";
        }

        if (data.StartsWith("<svg"u8) || data.StartsWith("<?xml"u8))
        {
            return "SVG/XML";
        }

        return null;
    }

    /// <summary>
    /// Refuses data too short to hold the pixels its header claims, whatever the encoder: a 1 KB file whose header
    /// claims 8192 x 8192 would otherwise cost seconds and hundreds of MiB before the decoder found out.
    /// </summary>
    private static void RequireData(ImageHeader header, string? sourceName, string name, long present, long minimum, string what)
    {
        if (present < minimum)
        {
            throw Truncated(header, sourceName, name, $"{present:N0} bytes of {what} cannot hold {header.Width} x {header.Height} pixels; at least {minimum:N0} are needed");
        }
    }

    // Deflate's best case is 258 bytes per 2-bit match (1032:1); the raw stream has one filter byte per row.
    private static long MinimumPngData(ImageHeader header, byte depth, byte colorType)
    {
        int channels = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        long rowBytes = 1 + (((long)header.Width * channels * depth) + 7) / 8;
        return rowBytes * header.Height / 1032;
    }

    private static InvalidImageException Truncated(ImageHeader header, string? sourceName, string name, string detail) =>
        new(ImageErrorKind.Truncated, $"{name} ({header.Format}, {header.Width} x {header.Height}) is truncated: {detail}.",
            sourceName, header.Format, header.Width, header.Height);

    private static InvalidImageException Truncated(ImageFormat format, string? sourceName, string name, string detail) =>
        new(ImageErrorKind.Truncated, $"{name} ({format}) is truncated: {detail}.", sourceName, format);

    private static InvalidImageException Corrupt(ImageFormat format, string? sourceName, string name, string detail, long? width = null, long? height = null) =>
        new(ImageErrorKind.Corrupt, $"{name} ({format}) is corrupt: {detail}.", sourceName, format, width, height);

    private static InvalidImageException Unsupported(ImageFormat format, string? sourceName, string name, string detail, long? width = null, long? height = null) =>
        new(ImageErrorKind.UnsupportedFormat, $"{name} ({format}) is not supported: {detail}.", sourceName, format, width, height);

    private static ImageHeader Checked(ImageFormat format, long width, long height, string? sourceName, string name)
    {
        if (width <= 0 || height <= 0)
        {
            throw Corrupt(format, sourceName, name, $"its header claims a size of {width} x {height}", width, height);
        }

        if (width > int.MaxValue || height > int.MaxValue)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge, $"{name} ({format}) claims {width} x {height} pixels.", sourceName, format, width, height);
        }

        return new ImageHeader(format, (int)width, (int)height);
    }

    // ---- PNG ----------------------------------------------------------------------------------------------------

    private static ImageHeader PngHeader(ReadOnlySpan<byte> data, string? sourceName, string name)
    {
        if (data.Length < 33)
        {
            throw Truncated(ImageFormat.Png, sourceName, name, $"{data.Length} bytes end before the IHDR chunk does");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data[8..]) != 13 || !data[12..16].SequenceEqual("IHDR"u8))
        {
            throw Corrupt(ImageFormat.Png, sourceName, name, "the first chunk is not a 13-byte IHDR");
        }

        long width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        ImageHeader header = Checked(ImageFormat.Png, width, height, sourceName, name);
        byte depth = data[24], colorType = data[25];
        bool valid = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid || data[26] != 0 || data[27] != 0 || data[28] > 1)
        {
            throw Corrupt(ImageFormat.Png, sourceName, name,
                $"IHDR has bit depth {depth}, colour type {colorType}, compression {data[26]}, filter {data[27]}, interlace {data[28]}", width, height);
        }

        return header;
    }

    private static void PngChunks(ReadOnlySpan<byte> data, ImageHeader header, string? sourceName, string name)
    {
        long pos = 8;
        bool sawData = false;
        long compressed = 0;
        while (true)
        {
            if (pos + 12 > data.Length)
            {
                throw Truncated(header, sourceName, name, $"the data ends at byte {data.Length} before the IEND chunk");
            }

            long length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)pos..]);
            ReadOnlySpan<byte> type = data.Slice((int)pos + 4, 4);
            if (length > int.MaxValue)
            {
                throw Corrupt(ImageFormat.Png, sourceName, name, $"chunk at byte {pos} claims {length} bytes", header.Width, header.Height);
            }

            if (pos + 12 + length > data.Length)
            {
                string chunk = System.Text.Encoding.ASCII.GetString(type);
                throw Truncated(header, sourceName, name, $"chunk '{chunk}' at byte {pos} needs {length} bytes, only {data.Length - pos - 12} remain");
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                sawData = true;
                compressed += length;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                if (!sawData)
                {
                    throw Corrupt(ImageFormat.Png, sourceName, name, "it has no IDAT chunk", header.Width, header.Height);
                }

                RequireData(header, sourceName, name, compressed, MinimumPngData(header, data[24], data[25]), "zlib data (deflate compresses at most 1032:1)");
                return;
            }

            pos += 12 + length;
        }
    }

    // ---- JPEG ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads segments up to the frame header (SOF), and with <paramref name="requireScan"/> on to the first scan (SOS);
    /// <paramref name="scanStart"/> is then the first byte after the SOS segment.
    /// </summary>
    private static ImageHeader JpegHeader(ReadOnlySpan<byte> data, string? sourceName, string name, bool requireScan, out int scanStart)
    {
        scanStart = 0;
        int pos = 2;
        ImageHeader? header = null;
        while (true)
        {
            // Markers may be preceded by any number of 0xFF fill bytes.
            if (pos >= data.Length)
            {
                throw header is { } h
                    ? Truncated(h, sourceName, name, "the data ends before the scan")
                    : Truncated(ImageFormat.Jpeg, sourceName, name, $"the data ends at byte {data.Length} before the frame header (SOF)");
            }

            if (data[pos] != 0xFF)
            {
                throw Corrupt(ImageFormat.Jpeg, sourceName, name, $"expected a marker at byte {pos}, found 0x{data[pos]:X2}");
            }

            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                throw Truncated(ImageFormat.Jpeg, sourceName, name, "the data ends inside a marker");
            }

            byte marker = data[pos++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // TEM, RSTn: no length
            }

            if (marker == 0xD9)
            {
                throw Corrupt(ImageFormat.Jpeg, sourceName, name, "end-of-image before any scan");
            }

            if (pos + 2 > data.Length)
            {
                throw Truncated(ImageFormat.Jpeg, sourceName, name, $"the data ends inside the length of marker 0x{marker:X2}");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
            {
                throw Corrupt(ImageFormat.Jpeg, sourceName, name, $"marker 0x{marker:X2} at byte {pos - 2} has length {length}");
            }

            bool isFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrame && header is null)
            {
                if (pos + 7 > data.Length)
                {
                    throw Truncated(ImageFormat.Jpeg, sourceName, name, "the data ends inside the frame header");
                }

                long height = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 3)..]);
                long width = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]);
                if (marker is not (0xC0 or 0xC1 or 0xC2))
                {
                    string kind = marker == 0xC3 ? "lossless" : marker is >= 0xC9 ? "arithmetic-coded" : "hierarchical";
                    throw Unsupported(ImageFormat.Jpeg, sourceName, name, $"{kind} JPEG (SOF 0x{marker:X2})", width, height);
                }

                if (height == 0)
                {
                    throw Unsupported(ImageFormat.Jpeg, sourceName, name, "the height is given by a DNL marker (frame height 0)", width, height);
                }

                header = Checked(ImageFormat.Jpeg, width, height, sourceName, name);
                if (!requireScan)
                {
                    return header.Value;
                }
            }

            if (marker == 0xDA)
            {
                if (header is null)
                {
                    throw Corrupt(ImageFormat.Jpeg, sourceName, name, "a scan (SOS) comes before the frame header (SOF)");
                }

                scanStart = Math.Min(pos + length, data.Length);
                return header.Value;
            }

            pos += length;
        }
    }

    // ---- GIF ----------------------------------------------------------------------------------------------------

    private static ImageHeader GifHeader(ReadOnlySpan<byte> data, string? sourceName, string name)
    {
        if (data.Length < 13)
        {
            throw Truncated(ImageFormat.Gif, sourceName, name, $"{data.Length} bytes end before the logical screen descriptor does");
        }

        return Checked(ImageFormat.Gif, BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]), sourceName, name);
    }

    private static void GifFirstFrame(ReadOnlySpan<byte> data, ImageHeader header, string? sourceName, string name)
    {
        int pos = 13;
        if ((data[10] & 0x80) != 0)
        {
            pos += 3 << ((data[10] & 7) + 1);
        }

        while (true)
        {
            if (pos >= data.Length)
            {
                throw Truncated(header, sourceName, name, "the data ends before the first frame");
            }

            byte block = data[pos++];
            if (block == 0x21)
            {
                pos++; // label
                pos = SkipSubBlocks(data, pos, header, sourceName, name);
            }
            else if (block == 0x2C)
            {
                if (pos + 9 > data.Length)
                {
                    throw Truncated(header, sourceName, name, "the data ends inside the first image descriptor");
                }

                int x = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]), y = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
                int w = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 4)..]), h = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 6)..]);
                if (x + w > header.Width || y + h > header.Height)
                {
                    throw Corrupt(ImageFormat.Gif, sourceName, name, $"the first frame ({w} x {h} at {x},{y}) exceeds the {header.Width} x {header.Height} screen", header.Width, header.Height);
                }

                byte flags = data[pos + 8];
                pos += 9;
                if ((flags & 0x80) != 0)
                {
                    pos += 3 << ((flags & 7) + 1);
                }

                pos++; // LZW minimum code size
                SkipSubBlocks(data, pos, header, sourceName, name);
                return;
            }
            else if (block == 0x3B)
            {
                throw Corrupt(ImageFormat.Gif, sourceName, name, "the trailer comes before any frame", header.Width, header.Height);
            }
            else
            {
                throw Corrupt(ImageFormat.Gif, sourceName, name, $"unknown block 0x{block:X2} at byte {pos - 1}", header.Width, header.Height);
            }
        }
    }

    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int pos, ImageHeader header, string? sourceName, string name)
    {
        while (true)
        {
            if (pos >= data.Length)
            {
                throw Truncated(header, sourceName, name, "the data ends inside a block");
            }

            int size = data[pos++];
            if (size == 0)
            {
                return pos;
            }

            pos += size;
        }
    }

    // ---- BMP ----------------------------------------------------------------------------------------------------

    private static ImageHeader BmpHeader(ReadOnlySpan<byte> data, string? sourceName, string name, out long pixelEnd)
    {
        if (data.Length < 26)
        {
            throw Truncated(ImageFormat.Bmp, sourceName, name, $"{data.Length} bytes end before the bitmap header does");
        }

        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        long width, height;
        int bitCount;
        uint compression = 0;
        if (infoSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
            bitCount = BinaryPrimitives.ReadUInt16LittleEndian(data[24..]);
        }
        else if (infoSize is 40 or 52 or 56 or 64 or 108 or 124)
        {
            if (data.Length < 34)
            {
                throw Truncated(ImageFormat.Bmp, sourceName, name, $"{data.Length} bytes end before the bitmap header does");
            }

            width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
            bitCount = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        }
        else
        {
            throw Unsupported(ImageFormat.Bmp, sourceName, name, $"bitmap info header of {infoSize} bytes");
        }

        ImageHeader header = Checked(ImageFormat.Bmp, width, height, sourceName, name);
        if (bitCount is not (1 or 4 or 8 or 16 or 24 or 32))
        {
            throw Corrupt(ImageFormat.Bmp, sourceName, name, $"{bitCount} bits per pixel", width, height);
        }

        if (compression is not (0 or 3))
        {
            string kind = compression switch { 1 => "RLE8", 2 => "RLE4", 4 => "embedded JPEG", 5 => "embedded PNG", _ => $"compression {compression}" };
            throw Unsupported(ImageFormat.Bmp, sourceName, name, $"{kind} bitmaps", width, height);
        }

        long rowBytes = ((width * bitCount) + 31) / 32 * 4;
        pixelEnd = offset + (rowBytes * height);
        return header;
    }
}
