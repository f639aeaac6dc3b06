using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Andes.GenAI;

/// <summary>
/// Kernels over a vocabulary-sized array of softmax numerators ("weights", in [0, 1], the most likely token's is 1):
/// a mass histogram by magnitude, sums and a weighted draw restricted to a best-first prefix of the tokens.
/// </summary>
/// <remarks>
/// A best-first prefix is described by its last (worst) member, the threshold <c>(weight, token)</c>: token i is in
/// it when <c>w[i] &gt; weight</c>, or <c>w[i] == weight</c> and <c>i &lt;= token</c> (ties go to the lower id).
/// Membership is tested in place, so a nucleus of 100,000 tokens never has to be gathered or sorted.
/// </remarks>
internal static class WeightDistribution
{
    /// <summary>Bits dropped from a weight's IEEE bits to get its histogram bin: 8 exponent + 4 mantissa bits remain.</summary>
    private const int BinShift = 19;

    /// <summary>The number of histogram bins: enough for every weight in [0, 2).</summary>
    public const int BinCount = 2048;

    /// <summary>Gets the smallest weight of a histogram bin (sixteen linear bins per power of two).</summary>
    /// <param name="bin">The bin index.</param>
    /// <returns>The bin's inclusive lower bound.</returns>
    public static float BinLowerBound(int bin) => BitConverter.UInt32BitsToSingle((uint)bin << BinShift);

    /// <summary>
    /// Adds the mass of every weight &gt;= <paramref name="cutoff"/> to its bin. Blocks entirely below the cutoff are
    /// skipped with one vector compare, so a peaked distribution costs little more than one read of the weights.
    /// </summary>
    /// <param name="weights">The weights.</param>
    /// <param name="cutoff">Weights below it are ignored.</param>
    /// <param name="bins">The histogram, length <see cref="BinCount"/>; added to (clear it first).</param>
    public static void AccumulateHistogram(ReadOnlySpan<float> weights, float cutoff, Span<double> bins)
    {
        int n = weights.Length;
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(weights);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> limit = Vector256.Create(cutoff);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                if (Vector256.GreaterThanOrEqualAny(Vector256.LoadUnsafe(ref start, (nuint)i), limit))
                {
                    AddToBins(weights.Slice(i, Vector256<float>.Count), cutoff, bins);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> limit = Vector128.Create(cutoff);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                if (Vector128.GreaterThanOrEqualAny(Vector128.LoadUnsafe(ref start, (nuint)i), limit))
                {
                    AddToBins(weights.Slice(i, Vector128<float>.Count), cutoff, bins);
                }
            }
        }

        AddToBins(weights[i..], cutoff, bins);
    }

    /// <summary>Gets the histogram bin of a weight.</summary>
    /// <param name="weight">A weight in [0, 2).</param>
    /// <returns>The bin index.</returns>
    public static int BinOf(float weight) => Math.Min((int)(BitConverter.SingleToUInt32Bits(weight) >> BinShift), BinCount - 1);

    /// <summary>
    /// Writes, per chunk, the weight sum of the tokens in the prefix ending at (<paramref name="thresholdWeight"/>,
    /// <paramref name="thresholdToken"/>), and returns the total. One vectorised pass.
    /// </summary>
    /// <param name="weights">The weights.</param>
    /// <param name="thresholdWeight">The weight of the prefix's last token.</param>
    /// <param name="thresholdToken">The id of the prefix's last token (<see cref="int.MaxValue"/>: every tie is in).</param>
    /// <param name="chunkSums">One entry per chunk.</param>
    /// <param name="chunkSize">The chunk length, a multiple of 64.</param>
    /// <returns>The prefix's total weight (the sum of the chunk sums, in double).</returns>
    public static double PrefixChunkSums(ReadOnlySpan<float> weights, float thresholdWeight, int thresholdToken, Span<double> chunkSums, int chunkSize)
    {
        double total = 0;
        for (int c = 0; c < chunkSums.Length; c++)
        {
            int offset = c * chunkSize;
            double sum = PrefixSum(weights.Slice(offset, Math.Min(chunkSize, weights.Length - offset)), offset, thresholdWeight, thresholdToken);
            chunkSums[c] = sum;
            total += sum;
        }

        return total;
    }

    /// <summary>
    /// Draws a token of the prefix ending at (<paramref name="thresholdWeight"/>, <paramref name="thresholdToken"/>)
    /// with probability proportional to its weight: skips whole chunks by their sums, then walks one chunk.
    /// Pass a negative threshold weight to draw from every token.
    /// </summary>
    /// <param name="weights">The weights.</param>
    /// <param name="chunkSums">The prefix's per-chunk sums (<see cref="PrefixChunkSums"/>, or all weights' sums).</param>
    /// <param name="chunkSize">The chunk length used for <paramref name="chunkSums"/>.</param>
    /// <param name="total">The sum of <paramref name="chunkSums"/>.</param>
    /// <param name="u">A uniform draw in [0, 1).</param>
    /// <param name="thresholdWeight">The weight of the prefix's last token.</param>
    /// <param name="thresholdToken">The id of the prefix's last token.</param>
    /// <returns>The drawn token id.</returns>
    public static int Draw(ReadOnlySpan<float> weights, ReadOnlySpan<double> chunkSums, int chunkSize, double total, double u, float thresholdWeight, int thresholdToken)
    {
        double target = u * total;
        double sum = 0;
        int last = chunkSums.Length - 1;
        for (int c = 0; c <= last; c++)
        {
            if (c < last && target >= sum + chunkSums[c])
            {
                sum += chunkSums[c];
                continue;
            }

            int start = c * chunkSize;
            int end = Math.Min(start + chunkSize, weights.Length);
            int lastIn = -1;
            for (int i = start; i < end; i++)
            {
                float w = weights[i];
                if (w > 0f && (w > thresholdWeight || (w == thresholdWeight && i <= thresholdToken)))
                {
                    lastIn = i;
                    sum += w;
                    if (target < sum)
                    {
                        return i;
                    }
                }
            }

            if (lastIn >= 0)
            {
                return lastIn; // rounding left the target just past this chunk's walk
            }

            break;
        }

        // Rounding pushed the target past the last non-empty chunk: take the last member with any weight.
        for (int i = weights.Length - 1; i >= 0; i--)
        {
            float w = weights[i];
            if (w > 0f && (w > thresholdWeight || (w == thresholdWeight && i <= thresholdToken)))
            {
                return i;
            }
        }

        throw new InvalidOperationException("The sampling distribution is empty.");
    }

    private static void AddToBins(ReadOnlySpan<float> weights, float cutoff, Span<double> bins)
    {
        foreach (float w in weights)
        {
            if (w >= cutoff)
            {
                bins[BinOf(w)] += w;
            }
        }
    }

    private static double PrefixSum(ReadOnlySpan<float> weights, int offset, float thresholdWeight, int thresholdToken)
    {
        int n = weights.Length;
        int i = 0;
        double ties = 0;
        float sum = 0f;
        ref float start = ref MemoryMarshal.GetReference(weights);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> threshold = Vector256.Create(thresholdWeight);
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> block = Vector256.LoadUnsafe(ref start, (nuint)i);
                acc += Vector256.ConditionalSelect(Vector256.GreaterThan(block, threshold), block, Vector256<float>.Zero);
                uint equal = Vector256.Equals(block, threshold).ExtractMostSignificantBits();
                while (equal != 0)
                {
                    int lane = System.Numerics.BitOperations.TrailingZeroCount(equal);
                    ties += offset + i + lane <= thresholdToken ? weights[i + lane] : 0f;
                    equal &= equal - 1;
                }
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> threshold = Vector128.Create(thresholdWeight);
            Vector128<float> acc = Vector128<float>.Zero;
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> block = Vector128.LoadUnsafe(ref start, (nuint)i);
                acc += Vector128.ConditionalSelect(Vector128.GreaterThan(block, threshold), block, Vector128<float>.Zero);
                uint equal = Vector128.Equals(block, threshold).ExtractMostSignificantBits();
                while (equal != 0)
                {
                    int lane = System.Numerics.BitOperations.TrailingZeroCount(equal);
                    ties += offset + i + lane <= thresholdToken ? weights[i + lane] : 0f;
                    equal &= equal - 1;
                }
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < n; i++)
        {
            float w = weights[i];
            if (w > thresholdWeight || (w == thresholdWeight && offset + i <= thresholdToken))
            {
                ties += w;
            }
        }

        return sum + ties;
    }
}
