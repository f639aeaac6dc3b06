using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Andes.Agents.Gui;

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> output, int bpp)
    {
        int n = row.Length;
        output = output[..n];
        above = above[..n];
        switch (filter)
        {
            case 0:
                row.CopyTo(output);
                break;
            case 1:
                row[..bpp].CopyTo(output);
                Subtract(row[bpp..], row[..(n - bpp)], output[bpp..]);
                break;
            case 2:
                Subtract(row, above, output);
                break;
            case 3:
                for (int i = 0; i < bpp; i++)
                {
                    output[i] = (byte)(row[i] - (above[i] >> 1));
                }

                SubtractAverage(row[bpp..], row[..(n - bpp)], above[bpp..], output[bpp..]);
                break;
            default:
                for (int i = 0; i < bpp; i++)
                {
                    output[i] = (byte)(row[i] - above[i]);
                }

                PaethRow(row, above, output, bpp);
                break;
        }

        return SumOfAbsolute(output);
    }

    // output = a - b (mod 256), vectorised.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Subtract(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(a[i..]) - new Vector<byte>(b[i..])).CopyTo(output[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            output[i] = (byte)(a[i] - b[i]);
        }
    }

    // output = row - floor((left + up) / 2) (mod 256); floor average without widening: (l & u) + ((l ^ u) >> 1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractAverage(ReadOnlySpan<byte> row, ReadOnlySpan<byte> left, ReadOnlySpan<byte> up, Span<byte> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var l = new Vector<byte>(left[i..]);
                var u = new Vector<byte>(up[i..]);
                Vector<byte> average = (l & u) + Vector.ShiftRightLogical(l ^ u, 1);
                (new Vector<byte>(row[i..]) - average).CopyTo(output[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            output[i] = (byte)(row[i] - ((left[i] + up[i]) >> 1));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PaethRow(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, Span<byte> output, int bpp)
    {
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte u = ref MemoryMarshal.GetReference(above);
        ref byte o = ref MemoryMarshal.GetReference(output);
        for (int i = bpp; i < row.Length; i++)
        {
            int a = Unsafe.Add(ref r, i - bpp), b = Unsafe.Add(ref u, i), c = Unsafe.Add(ref u, i - bpp);
            Unsafe.Add(ref o, i) = (byte)(Unsafe.Add(ref r, i) - Paeth(a, b, c));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long SumOfAbsolute(ReadOnlySpan<byte> filtered)
    {
        // Bytes read as signed: small differences either way score low. |-128| reads back as 128 once unsigned.
        long sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var accumulator = Vector<ushort>.Zero;
            int pending = 0;
            for (; i <= filtered.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector<byte> magnitude = Vector.AsVectorByte(Vector.Abs(Vector.AsVectorSByte(new Vector<byte>(filtered[i..]))));
                Vector.Widen(magnitude, out Vector<ushort> low, out Vector<ushort> high);
                accumulator += low + high;
                if (++pending == 120)
                {
                    sum += Drain(accumulator);
                    accumulator = Vector<ushort>.Zero;
                    pending = 0;
                }
            }

            sum += Drain(accumulator);
        }

        for (; i < filtered.Length; i++)
        {
            int v = (sbyte)filtered[i];
            sum += Math.Abs(v);
        }

        return sum;

        static long Drain(Vector<ushort> accumulator)
        {
            Vector.Widen(accumulator, out Vector<uint> low, out Vector<uint> high);
            return Vector.Sum(low + high);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Paeth(int a, int b, int c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - c - c);
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
