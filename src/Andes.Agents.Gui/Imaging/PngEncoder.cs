using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Andes.Agents.Gui.Imaging;

/// <summary>
/// Encodes a <see cref="BgraImage"/> as PNG (8-bit RGB or RGBA, non-interlaced) for sending to a model or saving a
/// trajectory. Each row gets the PNG filter (None, Sub, Up, Average, Paeth) with the smallest sum of absolute
/// differences, then the stream is zlib-compressed. Row buffers are pooled; nothing allocates per pixel.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The media type of the output.</summary>
    public const string MediaType = "image/png";

    /// <summary>Encodes an image into a new byte array.</summary>
    /// <param name="image">The image.</param>
    /// <param name="options">Settings; null for <see cref="PngEncoderOptions.Default"/>.</param>
    /// <returns>The PNG file bytes.</returns>
    public static byte[] Encode(BgraImage image, PngEncoderOptions? options = null)
    {
        using var stream = new MemoryStream();
        Encode(image, stream, options);
        return stream.ToArray();
    }

    /// <summary>Encodes an image into a stream.</summary>
    /// <param name="image">The image.</param>
    /// <param name="destination">Where the PNG file bytes go.</param>
    /// <param name="options">Settings; null for <see cref="PngEncoderOptions.Default"/>.</param>
    public static void Encode(BgraImage image, Stream destination, PngEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= PngEncoderOptions.Default;
        int channels = options.IncludeAlpha ? 4 : 3;

        destination.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bit depth
        header[9] = (byte)(options.IncludeAlpha ? 6 : 2); // colour type
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(destination, "IHDR"u8, header);

        using (var idat = new IdatStream(destination))
        {
            using var zlib = new ZLibStream(idat, options.CompressionLevel, leaveOpen: true);
            WriteFilteredRows(image, channels, zlib);
        }

        WriteChunk(destination, "IEND"u8, []);
    }

    private static void WriteFilteredRows(BgraImage image, int channels, Stream output)
    {
        int rowBytes = image.Width * channels;
        byte[] previous = ArrayPool<byte>.Shared.Rent(rowBytes);
        byte[] current = ArrayPool<byte>.Shared.Rent(rowBytes);
        byte[] candidates = ArrayPool<byte>.Shared.Rent(5 * (rowBytes + 1));
        try
        {
            Array.Clear(previous, 0, rowBytes);
            for (int y = 0; y < image.Height; y++)
            {
                ToRgb(image.GetRow(y), current.AsSpan(0, rowBytes), channels);
                int best = 0;
                long bestScore = long.MaxValue;
                for (int filter = 0; filter < 5; filter++)
                {
                    Span<byte> line = candidates.AsSpan(filter * (rowBytes + 1), rowBytes + 1);
                    line[0] = (byte)filter;
                    long score = Filter(filter, current.AsSpan(0, rowBytes), previous.AsSpan(0, rowBytes), line[1..], channels);
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = filter;
                    }
                }

                output.Write(candidates, best * (rowBytes + 1), rowBytes + 1);
                (previous, current) = (current, previous);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(previous);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(candidates);
        }
    }

    private static void ToRgb(ReadOnlySpan<byte> bgra, Span<byte> output, int channels)
    {
        for (int i = 0, o = 0; o < output.Length; i += 4, o += channels)
        {
            output[o] = bgra[i + 2];
            output[o + 1] = bgra[i + 1];
            output[o + 2] = bgra[i];
            if (channels == 4)
            {
                output[o + 3] = bgra[i + 3];
            }
        }
    }

    private static long Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> output, int bpp)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = above[i];
            int c = i >= bpp ? above[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => Paeth(a, b, c),
            };
            byte value = (byte)(row[i] - predictor);
            output[i] = value;
            score += Math.Abs((sbyte)value);
        }

        return score;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        destination.Write(length);
        destination.Write(type);
        destination.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, crc.GetCurrentHashAsUInt32());
        destination.Write(checksum);
    }

    /// <summary>Buffers compressed bytes and writes them out as IDAT chunks of at most 64 KiB.</summary>
    private sealed class IdatStream(Stream destination) : Stream
    {
        private const int ChunkSize = 1 << 16;
        private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        private int _count;
        private bool _disposed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                int n = Math.Min(ChunkSize - _count, buffer.Length);
                buffer[..n].CopyTo(_buffer.AsSpan(_count));
                _count += n;
                buffer = buffer[n..];
                if (_count == ChunkSize)
                {
                    Flush();
                }
            }
        }

        public override void Flush()
        {
            if (_count > 0)
            {
                WriteChunk(destination, "IDAT"u8, _buffer.AsSpan(0, _count));
                _count = 0;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (!_disposed)
            {
                _disposed = true;
                Flush();
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            base.Dispose(disposing);
        }
    }
}
