using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Andes.GenAI;

/// <summary>
/// Allocation-free selection kernels over <see cref="CandidateKey"/> arrays: top-k by a bounded heap, range
/// compaction, and the weighted quickselect that finds the end of a top-p nucleus without sorting.
/// </summary>
internal static class CandidateSelection
{
    private const int SmallSegment = 24;

    /// <summary>
    /// Writes the keys of the <paramref name="k"/> best logits to <c>keys[..k]</c>, sorted best first (higher logit,
    /// then lower id). O(V) compares, most of them skipped a SIMD block at a time, plus O(r log k) for the r heap
    /// replacements (r is about k ln(V/k) for random order) and O(k log k) for the final sort.
    /// </summary>
    /// <param name="logits">The scores; no NaN.</param>
    /// <param name="k">How many to keep, 1 &lt;= k &lt;= logits.Length.</param>
    /// <param name="keys">Destination, length &gt;= k.</param>
    public static void TopK(ReadOnlySpan<float> logits, int k, Span<ulong> keys)
    {
        Span<ulong> heap = keys[..k];
        for (int i = 0; i < k; i++)
        {
            heap[i] = CandidateKey.Create(logits[i], i);
        }

        // Max-heap on keys: the root is the worst kept candidate.
        for (int i = (k / 2) - 1; i >= 0; i--)
        {
            SiftDown(heap, i, k);
        }

        float threshold = CandidateKey.Score(heap[0]);
        int n = logits.Length;
        int j = k;
        ref float start = ref MemoryMarshal.GetReference(logits);

        // A later token with a score equal to the root's loses the tie (higher id), so only strictly greater
        // scores can enter: whole blocks with none of them are skipped with one vector compare.
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                Vector256<float> block = Vector256.LoadUnsafe(ref start, (nuint)j);
                if (Vector256.GreaterThanAny(block, Vector256.Create(threshold)))
                {
                    threshold = Offer(logits, j, Vector256<float>.Count, heap, threshold);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                Vector128<float> block = Vector128.LoadUnsafe(ref start, (nuint)j);
                if (Vector128.GreaterThanAny(block, Vector128.Create(threshold)))
                {
                    threshold = Offer(logits, j, Vector128<float>.Count, heap, threshold);
                }
            }
        }

        threshold = Offer(logits, j, n - j, heap, threshold);

        // Heap sort: repeatedly move the worst to the end, leaving the best first.
        for (int end = k - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(heap, 0, end);
        }
    }

    /// <summary>
    /// Writes the key of every weight in [<paramref name="lower"/>, <paramref name="upper"/>) to
    /// <paramref name="keys"/> (in token order) and returns how many. O(V); blocks without any survivor are skipped a
    /// SIMD block at a time.
    /// </summary>
    /// <param name="weights">Non-negative weights, no NaN.</param>
    /// <param name="lower">The smallest weight kept.</param>
    /// <param name="upper">The exclusive upper bound (may be <see cref="float.PositiveInfinity"/>).</param>
    /// <param name="keys">Destination, length &gt;= the number of survivors.</param>
    /// <returns>The number of keys written.</returns>
    public static int Compact(ReadOnlySpan<float> weights, float lower, float upper, Span<ulong> keys)
    {
        int n = weights.Length;
        int count = 0;
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(weights);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> low = Vector256.Create(lower);
            Vector256<float> high = Vector256.Create(upper);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> block = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint mask = (Vector256.GreaterThanOrEqual(block, low) & Vector256.LessThan(block, high)).ExtractMostSignificantBits();
                count = AppendMasked(weights, i, mask, keys, count);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> low = Vector128.Create(lower);
            Vector128<float> high = Vector128.Create(upper);
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> block = Vector128.LoadUnsafe(ref start, (nuint)i);
                uint mask = (Vector128.GreaterThanOrEqual(block, low) & Vector128.LessThan(block, high)).ExtractMostSignificantBits();
                count = AppendMasked(weights, i, mask, keys, count);
            }
        }

        for (; i < n; i++)
        {
            float w = weights[i];
            if (w >= lower && w < upper)
            {
                keys[count++] = CandidateKey.Create(w, i);
            }
        }

        return count;
    }

    /// <summary>
    /// Weighted quickselect: reorders <paramref name="keys"/> (whose scores are non-negative weights) so that
    /// <c>keys[..result]</c> is the smallest best-first prefix whose weight sum reaches <paramref name="target"/>
    /// (all keys when the total falls short). At least one key is kept when any exists.
    /// </summary>
    /// <remarks>
    /// Expected O(n): each round partitions the live segment around a median-of-three pivot, then continues in the
    /// better part (when it already holds enough mass) or in the worse part with the better part's mass subtracted.
    /// After a bounded number of rounds it falls back to sorting the remaining segment, so the worst case is
    /// O(n log n). Keys are unique, so the result does not depend on the pivot choices.
    /// </remarks>
    /// <param name="keys">The candidates; reordered in place.</param>
    /// <param name="target">The weight the kept prefix must reach; positive.</param>
    /// <returns>The number of kept keys at the front of <paramref name="keys"/>.</returns>
    public static int SelectNucleus(Span<ulong> keys, double target)
    {
        int lo = 0;
        int hi = keys.Length;
        double need = target;
        int roundsLeft = 2 * (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)keys.Length)) + 8;
        while (true)
        {
            int length = hi - lo;
            if (length == 0)
            {
                return lo;
            }

            if (length <= SmallSegment || roundsLeft-- <= 0)
            {
                Span<ulong> rest = keys[lo..hi];
                rest.Sort();
                double sum = 0;
                for (int i = 0; i < rest.Length; i++)
                {
                    sum += CandidateKey.Score(rest[i]);
                    if (sum >= need)
                    {
                        return lo + i + 1;
                    }
                }

                return hi;
            }

            // Median of three, moved to the end of the segment (Lomuto partition).
            int mid = lo + (length >> 1);
            int last = hi - 1;
            SortThree(keys, lo, mid, last);
            (keys[mid], keys[last]) = (keys[last], keys[mid]);
            ulong pivot = keys[last];

            // Branch-free Lomuto: always swap, advance the boundary by the comparison result. Random keys make a
            // branch unpredictable; this keeps the loop at a steady few cycles per key.
            int store = lo;
            double betterMass = 0;
            for (int i = lo; i < last; i++)
            {
                ulong key = keys[i];
                int better = key < pivot ? 1 : 0;
                keys[i] = keys[store];
                keys[store] = key;
                store += better;
                betterMass += CandidateKey.Score(key) * better;
            }

            keys[last] = keys[store];
            keys[store] = pivot;

            if (betterMass >= need)
            {
                hi = store; // the nucleus ends inside the better part (non-empty: need > 0)
                continue;
            }

            need -= betterMass + CandidateKey.Score(pivot);
            if (need <= 0)
            {
                return store + 1;
            }

            lo = store + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendMasked(ReadOnlySpan<float> weights, int offset, uint mask, Span<ulong> keys, int count)
    {
        while (mask != 0)
        {
            int lane = System.Numerics.BitOperations.TrailingZeroCount(mask);
            keys[count++] = CandidateKey.Create(weights[offset + lane], offset + lane);
            mask &= mask - 1;
        }

        return count;
    }

    private static float Offer(ReadOnlySpan<float> logits, int from, int count, Span<ulong> heap, float threshold)
    {
        for (int i = from; i < from + count; i++)
        {
            float value = logits[i];
            if (value > threshold)
            {
                heap[0] = CandidateKey.Create(value, i);
                SiftDown(heap, 0, heap.Length);
                threshold = CandidateKey.Score(heap[0]);
            }
        }

        return threshold;
    }

    private static void SiftDown(Span<ulong> heap, int index, int size)
    {
        ulong item = heap[index];
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= size)
            {
                break;
            }

            if (child + 1 < size && heap[child + 1] > heap[child])
            {
                child++;
            }

            if (heap[child] <= item)
            {
                break;
            }

            heap[index] = heap[child];
            index = child;
        }

        heap[index] = item;
    }

    private static void SortThree(Span<ulong> keys, int a, int b, int c)
    {
        if (keys[a] > keys[b])
        {
            (keys[a], keys[b]) = (keys[b], keys[a]);
        }

        if (keys[b] > keys[c])
        {
            (keys[b], keys[c]) = (keys[c], keys[b]);
            if (keys[a] > keys[b])
            {
                (keys[a], keys[b]) = (keys[b], keys[a]);
            }
        }
    }
}
