using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Andes.GenAI;

/// <summary>Fused, allocation-free vector kernels over the whole vocabulary (one memory pass each).</summary>
internal static class SoftmaxKernels
{
    /// <summary>
    /// Writes <c>exp((logits[i] - max) * inverseTemperature)</c> to <paramref name="weights"/> and the sum of each
    /// <paramref name="chunkSize"/>-element chunk to <paramref name="chunkSums"/>, in one pass. Returns the total.
    /// </summary>
    /// <param name="logits">The logits (no NaN; -inf gives weight 0).</param>
    /// <param name="max">The maximum logit (finite), whose weight is exactly 1.</param>
    /// <param name="inverseTemperature">1 / temperature.</param>
    /// <param name="weights">Destination, same length as <paramref name="logits"/>.</param>
    /// <param name="chunkSums">One entry per chunk: ceil(length / chunkSize).</param>
    /// <param name="chunkSize">A multiple of 64.</param>
    /// <returns>The sum of all weights (the sum of the chunk sums, in double).</returns>
    public static double ExpScaled(ReadOnlySpan<float> logits, float max, float inverseTemperature, Span<float> weights, Span<double> chunkSums, int chunkSize)
    {
        double total = 0;
        for (int c = 0; c < chunkSums.Length; c++)
        {
            int start = c * chunkSize;
            int length = Math.Min(chunkSize, logits.Length - start);
            double sum = ExpScaledChunk(logits.Slice(start, length), max, inverseTemperature, weights.Slice(start, length));
            chunkSums[c] = sum;
            total += sum;
        }

        return total;
    }

    /// <summary>Returns the index of the first element equal to <paramref name="value"/> (numeric equality), or -1.</summary>
    /// <param name="values">The values.</param>
    /// <param name="value">The value to find (not NaN).</param>
    /// <returns>The first index, or -1.</returns>
    public static int IndexOfFirstEqual(ReadOnlySpan<float> values, float value)
    {
        int n = values.Length;
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> target = Vector512.Create(value);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                ulong mask = Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> target = Vector256.Create(value);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> target = Vector128.Create(value);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                uint mask = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                }
            }
        }

        for (; i < n; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static double ExpScaledChunk(ReadOnlySpan<float> logits, float max, float inverseTemperature, Span<float> weights)
    {
        int n = logits.Length;
        int i = 0;
        float sum = 0f;
        ref float source = ref MemoryMarshal.GetReference(logits);
        ref float destination = ref MemoryMarshal.GetReference(weights);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> shift = Vector512.Create(max);
            Vector512<float> scale = Vector512.Create(inverseTemperature);
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> w = Vector512.Exp((Vector512.LoadUnsafe(ref source, (nuint)i) - shift) * scale);
                w.StoreUnsafe(ref destination, (nuint)i);
                acc += w;
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> shift = Vector256.Create(max);
            Vector256<float> scale = Vector256.Create(inverseTemperature);
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> w = Vector256.Exp((Vector256.LoadUnsafe(ref source, (nuint)i) - shift) * scale);
                w.StoreUnsafe(ref destination, (nuint)i);
                acc += w;
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> shift = Vector128.Create(max);
            Vector128<float> scale = Vector128.Create(inverseTemperature);
            Vector128<float> acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> w = Vector128.Exp((Vector128.LoadUnsafe(ref source, (nuint)i) - shift) * scale);
                w.StoreUnsafe(ref destination, (nuint)i);
                acc += w;
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            float w = MathF.Exp((logits[i] - max) * inverseTemperature);
            weights[i] = w;
            sum += w;
        }

        return sum;
    }
}
