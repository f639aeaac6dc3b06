using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Andes.GenAI;

/// <summary>
/// Bit-exact re-implementation of Pillow's <c>Image.resize</c> for 8-bit RGB (libImaging/Resample.c,
/// <c>ImagingResampleInner</c>): a horizontal pass over the source rows the vertical filter needs, rounded and clipped
/// to uint8, then a vertical pass; a pass is skipped when its axis keeps its size. Integer arithmetic with 22-bit
/// fixed-point weights, exactly as Pillow, so results are identical byte for byte.
/// </summary>
/// <remarks>
/// Vectorised: the horizontal pass widens each source row once to 32-bit lanes (one <see cref="Vector128{T}"/> per
/// pixel, channels in lanes) and accumulates one multiply-add per tap; the vertical pass runs over whole rows with
/// <see cref="Vector{T}"/> (bytes widened to 32-bit lanes). Scratch buffers come from <see cref="ArrayPool{T}"/>.
/// </remarks>
internal static class PillowResampler
{
    private const int Half = 1 << (ResampleCoefficients.PrecisionBits - 1);

    /// <summary>Resizes <paramref name="source"/> to RGB rows of <paramref name="destination"/> (row y at y * destinationStride).</summary>
    public static void Resize(
        in PixelSource source, int outWidth, int outHeight, ImageResampleFilter filter, Span<byte> destination, int destinationStride)
    {
        bool horizontal = outWidth != source.Width;
        bool vertical = outHeight != source.Height;
        if (!horizontal && !vertical)
        {
            source.CopyToRgb(destination, destinationStride);
            return;
        }

        using ResampleCoefficients? h = horizontal ? ResampleCoefficients.Compute(source.Width, outWidth, filter) : null;
        using ResampleCoefficients? v = vertical ? ResampleCoefficients.Compute(source.Height, outHeight, filter) : null;
        if (h is not null && v is null)
        {
            HorizontalPass(source, 0, source.Height, h, destination, destinationStride);
            return;
        }

        int rowBytes = 3 * outWidth;
        if (h is null)
        {
            if (source.IsRgb24)
            {
                VerticalPass(source.Data, source.Stride, 0, rowBytes, v!, destination, destinationStride);
                return;
            }

            byte[] converted = ArrayPool<byte>.Shared.Rent(rowBytes * source.Height);
            try
            {
                source.CopyToRgb(converted, rowBytes);
                VerticalPass(converted.AsSpan(0, rowBytes * source.Height), rowBytes, 0, rowBytes, v!, destination, destinationStride);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(converted);
            }

            return;
        }

        // Only the rows the vertical filter reads go through the horizontal pass (Pillow's ybox_first .. ybox_last).
        ReadOnlySpan<int> bounds = v!.Bounds;
        int first = bounds[0];
        int last = bounds[(2 * outHeight) - 2] + bounds[(2 * outHeight) - 1];
        int rows = last - first;
        byte[] temp = ArrayPool<byte>.Shared.Rent(rows * rowBytes);
        try
        {
            HorizontalPass(source, first, rows, h, temp, rowBytes);
            VerticalPass(temp.AsSpan(0, rows * rowBytes), rowBytes, first, rowBytes, v, destination, destinationStride);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(temp);
        }
    }

    /// <summary>Horizontal pass over source rows [firstRow, firstRow + rowCount) into RGB rows of <paramref name="destination"/>.</summary>
    internal static void HorizontalPass(
        in PixelSource source, int firstRow, int rowCount, ResampleCoefficients coefficients, Span<byte> destination, int destinationStride)
    {
        // One extra (zero) pixel so the paired loads never leave the buffer.
        int[] widened = ArrayPool<int>.Shared.Rent(4 * (source.Width + 1));
        int[]? pairs = Vector256.IsHardwareAccelerated ? ExpandPairs(coefficients) : null;
        try
        {
            Span<int> lanes = widened.AsSpan(0, 4 * (source.Width + 1));
            lanes[(4 * source.Width)..].Clear();
            for (int r = 0; r < rowCount; r++)
            {
                WidenRow(source, firstRow + r, lanes);
                Span<byte> row = destination.Slice(r * destinationStride, 3 * coefficients.OutSize);
                if (pairs is not null)
                {
                    ConvolveRowPairs(lanes, coefficients, pairs, row, source.SwapRedBlue);
                }
                else if (Vector128.IsHardwareAccelerated)
                {
                    ConvolveRowVector(lanes, coefficients, row, source.SwapRedBlue);
                }
                else
                {
                    ConvolveRowScalar(lanes, coefficients, row, source.SwapRedBlue);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(widened);
            if (pairs is not null)
            {
                ArrayPool<int>.Shared.Return(pairs);
            }
        }
    }

    /// <summary>Taps per output pixel in the paired table: the kernel size rounded up to even.</summary>
    private static int PairedTaps(ResampleCoefficients coefficients) => (coefficients.KernelSize + 1) & ~1;

    /// <summary>
    /// The weights laid out for <see cref="ConvolveRowPairs"/>: per output pixel and tap pair, eight ints
    /// (tap 2j's weight four times, then tap 2j+1's), zero past the pixel's tap count. Rented; the caller returns it.
    /// </summary>
    internal static int[] ExpandPairs(ResampleCoefficients coefficients)
    {
        int taps = PairedTaps(coefficients);
        int[] expanded = ArrayPool<int>.Shared.Rent(coefficients.OutSize * taps * 4);
        ReadOnlySpan<int> bounds = coefficients.Bounds;
        ReadOnlySpan<int> weights = coefficients.Weights;
        for (int xx = 0; xx < coefficients.OutSize; xx++)
        {
            int count = bounds[(2 * xx) + 1];
            Span<int> row = expanded.AsSpan(xx * taps * 4, taps * 4);
            for (int t = 0; t < taps; t++)
            {
                row.Slice(4 * t, 4).Fill(t < count ? weights[(xx * coefficients.KernelSize) + t] : 0);
            }
        }

        return expanded;
    }

    /// <summary>Two taps per 256-bit multiply: two adjacent widened pixels times their two weights.</summary>
    internal static void ConvolveRowPairs(ReadOnlySpan<int> lanes, ResampleCoefficients coefficients, int[] pairs, Span<byte> row, bool swapRedBlue)
    {
        ref int pixels = ref MemoryMarshal.GetReference(lanes);
        ref int bounds = ref MemoryMarshal.GetReference(coefficients.Bounds);
        ref int weights = ref MemoryMarshal.GetArrayDataReference(pairs);
        ref byte output = ref MemoryMarshal.GetReference(row);
        int taps = PairedTaps(coefficients);
        Vector128<int> max = Vector128.Create(255);
        Vector256<int> start = Vector256.Create(Vector128.Create(Half), Vector128<int>.Zero);
        for (int xx = 0; xx < coefficients.OutSize; xx++)
        {
            int xmin = Unsafe.Add(ref bounds, 2 * xx);
            int count = Unsafe.Add(ref bounds, (2 * xx) + 1);
            ref int k = ref Unsafe.Add(ref weights, xx * taps * 4);
            ref int p = ref Unsafe.Add(ref pixels, 4 * xmin);
            Vector256<int> acc0 = start, acc1 = Vector256<int>.Zero;
            int t = 0;
            for (; t + 4 <= count; t += 4)
            {
                acc0 += Vector256.LoadUnsafe(ref p, (nuint)(4 * t)) * Vector256.LoadUnsafe(ref k, (nuint)(4 * t));
                acc1 += Vector256.LoadUnsafe(ref p, (nuint)(4 * (t + 2))) * Vector256.LoadUnsafe(ref k, (nuint)(4 * (t + 2)));
            }

            for (; t < count; t += 2)
            {
                // An odd last tap pairs with a zero weight (the pixel after it exists: row padding or the extra zero pixel).
                acc0 += Vector256.LoadUnsafe(ref p, (nuint)(4 * t)) * Vector256.LoadUnsafe(ref k, (nuint)(4 * t));
            }

            Vector256<int> sum = acc0 + acc1;
            Vector128<int> clipped = Vector128.Min(
                Vector128.Max(Vector128.ShiftRightArithmetic(sum.GetLower() + sum.GetUpper(), ResampleCoefficients.PrecisionBits), Vector128<int>.Zero), max);
            ref byte o = ref Unsafe.Add(ref output, 3 * xx);
            byte c0 = (byte)clipped.GetElement(0), c1 = (byte)clipped.GetElement(1), c2 = (byte)clipped.GetElement(2);
            o = swapRedBlue ? c2 : c0;
            Unsafe.Add(ref o, 1) = c1;
            Unsafe.Add(ref o, 2) = swapRedBlue ? c0 : c2;
        }
    }

    /// <summary>Expands one source row to four int lanes per pixel (channels in source order; the fourth lane is ignored).</summary>
    internal static void WidenRow(in PixelSource source, int y, Span<int> lanes)
    {
        int width = source.Width;
        int bpp = source.BytesPerPixel;
        ReadOnlySpan<byte> available = source.Data[(y * source.Stride)..];
        ref byte src = ref MemoryMarshal.GetReference(available);
        ref int dst = ref MemoryMarshal.GetReference(lanes);
        int x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Four pixels per step from a 16-byte load; RGB triplets are first spread to RGBx quads by a shuffle.
            Vector128<byte> spread = bpp == 3
                ? Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF)
                : Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (; x + 4 <= width && (x * bpp) + 16 <= available.Length; x += 4)
            {
                Vector128<byte> raw = Vector128.LoadUnsafe(ref src, (nuint)(x * bpp));
                if (bpp == 3)
                {
                    raw = Vector128.Shuffle(raw, spread);
                }

                (Vector128<ushort> lo, Vector128<ushort> hi) = Vector128.Widen(raw);
                (Vector128<uint> p0, Vector128<uint> p1) = Vector128.Widen(lo);
                (Vector128<uint> p2, Vector128<uint> p3) = Vector128.Widen(hi);
                ref int d = ref Unsafe.Add(ref dst, 4 * x);
                p0.AsInt32().StoreUnsafe(ref d);
                p1.AsInt32().StoreUnsafe(ref d, 4);
                p2.AsInt32().StoreUnsafe(ref d, 8);
                p3.AsInt32().StoreUnsafe(ref d, 12);
            }
        }

        for (; x < width; x++)
        {
            ref byte p = ref Unsafe.Add(ref src, x * bpp);
            ref int d = ref Unsafe.Add(ref dst, 4 * x);
            d = p;
            Unsafe.Add(ref d, 1) = Unsafe.Add(ref p, 1);
            Unsafe.Add(ref d, 2) = Unsafe.Add(ref p, 2);
            Unsafe.Add(ref d, 3) = 0;
        }
    }

    internal static void ConvolveRowVector(ReadOnlySpan<int> lanes, ResampleCoefficients coefficients, Span<byte> row, bool swapRedBlue)
    {
        ref int pixels = ref MemoryMarshal.GetReference(lanes);
        ref int bounds = ref MemoryMarshal.GetReference(coefficients.Bounds);
        ref int weights = ref MemoryMarshal.GetReference(coefficients.Weights);
        ref byte output = ref MemoryMarshal.GetReference(row);
        int kernelSize = coefficients.KernelSize;
        Vector128<int> max = Vector128.Create(255);
        for (int xx = 0; xx < coefficients.OutSize; xx++)
        {
            int xmin = Unsafe.Add(ref bounds, 2 * xx);
            int count = Unsafe.Add(ref bounds, (2 * xx) + 1);
            ref int k = ref Unsafe.Add(ref weights, xx * kernelSize);
            ref int p = ref Unsafe.Add(ref pixels, 4 * xmin);
            Vector128<int> acc0 = Vector128.Create(Half);
            Vector128<int> acc1 = Vector128<int>.Zero;
            int t = 0;
            for (; t + 2 <= count; t += 2)
            {
                acc0 += Vector128.LoadUnsafe(ref p, (nuint)(4 * t)) * Vector128.Create(Unsafe.Add(ref k, t));
                acc1 += Vector128.LoadUnsafe(ref p, (nuint)(4 * (t + 1))) * Vector128.Create(Unsafe.Add(ref k, t + 1));
            }

            if (t < count)
            {
                acc0 += Vector128.LoadUnsafe(ref p, (nuint)(4 * t)) * Vector128.Create(Unsafe.Add(ref k, t));
            }

            Vector128<int> clipped = Vector128.Min(Vector128.Max(Vector128.ShiftRightArithmetic(acc0 + acc1, ResampleCoefficients.PrecisionBits), Vector128<int>.Zero), max);
            ref byte o = ref Unsafe.Add(ref output, 3 * xx);
            byte c0 = (byte)clipped.GetElement(0), c1 = (byte)clipped.GetElement(1), c2 = (byte)clipped.GetElement(2);
            o = swapRedBlue ? c2 : c0;
            Unsafe.Add(ref o, 1) = c1;
            Unsafe.Add(ref o, 2) = swapRedBlue ? c0 : c2;
        }
    }

    internal static void ConvolveRowScalar(ReadOnlySpan<int> lanes, ResampleCoefficients coefficients, Span<byte> row, bool swapRedBlue)
    {
        ReadOnlySpan<int> bounds = coefficients.Bounds;
        ReadOnlySpan<int> weights = coefficients.Weights;
        int kernelSize = coefficients.KernelSize;
        for (int xx = 0; xx < coefficients.OutSize; xx++)
        {
            int xmin = bounds[2 * xx];
            int count = bounds[(2 * xx) + 1];
            ReadOnlySpan<int> k = weights.Slice(xx * kernelSize, count);
            int s0 = Half, s1 = Half, s2 = Half;
            for (int t = 0; t < count; t++)
            {
                int i = 4 * (xmin + t);
                s0 += lanes[i] * k[t];
                s1 += lanes[i + 1] * k[t];
                s2 += lanes[i + 2] * k[t];
            }

            row[3 * xx] = Clip8(swapRedBlue ? s2 : s0);
            row[(3 * xx) + 1] = Clip8(s1);
            row[(3 * xx) + 2] = Clip8(swapRedBlue ? s0 : s2);
        }
    }

    /// <summary>
    /// Vertical pass: output row yy = weighted sum of source rows bounds[yy] - rowOffset .. + count (RGB bytes,
    /// <paramref name="rowBytes"/> per row) into <paramref name="destination"/> row yy.
    /// </summary>
    internal static void VerticalPass(
        ReadOnlySpan<byte> source, int sourceStride, int rowOffset, int rowBytes, ResampleCoefficients coefficients,
        Span<byte> destination, int destinationStride)
    {
        ref byte src = ref MemoryMarshal.GetReference(source);
        ReadOnlySpan<int> bounds = coefficients.Bounds;
        ReadOnlySpan<int> weights = coefficients.Weights;
        int kernelSize = coefficients.KernelSize;
        int lanesPerStep = Vector<byte>.Count;
        bool vectorise = Vector.IsHardwareAccelerated && rowBytes >= lanesPerStep;
        for (int yy = 0; yy < coefficients.OutSize; yy++)
        {
            int ymin = bounds[2 * yy] - rowOffset;
            int count = bounds[(2 * yy) + 1];
            ReadOnlySpan<int> k = weights.Slice(yy * kernelSize, count);
            Span<byte> outRow = destination.Slice(yy * destinationStride, rowBytes);
            ref byte top = ref Unsafe.Add(ref src, ymin * sourceStride);
            if (!vectorise)
            {
                for (int j = 0; j < rowBytes; j++)
                {
                    int s = Half;
                    for (int t = 0; t < count; t++)
                    {
                        s += Unsafe.Add(ref top, (t * sourceStride) + j) * k[t];
                    }

                    outRow[j] = Clip8(s);
                }

                continue;
            }

            ref byte dst = ref MemoryMarshal.GetReference(outRow);
            for (int j = 0; ; j += lanesPerStep)
            {
                // The last step overlaps the previous one so it ends exactly at the row's end (same values rewritten).
                bool final = j >= rowBytes - lanesPerStep;
                if (final)
                {
                    j = rowBytes - lanesPerStep;
                }

                Vector<int> a0 = new(Half), a1 = a0, a2 = a0, a3 = a0;
                ref byte column = ref Unsafe.Add(ref top, j);
                for (int t = 0; t < count; t++)
                {
                    Vector<byte> bytes = Vector.LoadUnsafe(ref column, (nuint)(t * sourceStride));
                    Vector.Widen(bytes, out Vector<ushort> lo, out Vector<ushort> hi);
                    Vector.Widen(lo, out Vector<uint> w0, out Vector<uint> w1);
                    Vector.Widen(hi, out Vector<uint> w2, out Vector<uint> w3);
                    var weight = new Vector<int>(k[t]);
                    a0 += Vector.AsVectorInt32(w0) * weight;
                    a1 += Vector.AsVectorInt32(w1) * weight;
                    a2 += Vector.AsVectorInt32(w2) * weight;
                    a3 += Vector.AsVectorInt32(w3) * weight;
                }

                Vector<ushort> n0 = Vector.Narrow(Clip(a0), Clip(a1));
                Vector<ushort> n1 = Vector.Narrow(Clip(a2), Clip(a3));
                Vector.Narrow(n0, n1).StoreUnsafe(ref dst, (nuint)j);
                if (final)
                {
                    break;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> Clip(Vector<int> sum) =>
        Vector.AsVectorUInt32(Vector.Min(Vector.Max(Vector.ShiftRightArithmetic(sum, ResampleCoefficients.PrecisionBits), Vector<int>.Zero), new Vector<int>(255)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int sum)
    {
        int v = sum >> ResampleCoefficients.PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }
}
