using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation.Sampling;

public sealed class CandidateSelectionTests
{
    [Fact]
    public void CandidateKey_OrdersByScoreDescendingThenTokenAscending_AndRoundTrips()
    {
        float[] scores = [float.NegativeInfinity, -3.5f, -0f, 0f, 1e-30f, 2f, 2f, float.MaxValue, float.PositiveInfinity];
        var keys = new List<ulong>();
        for (int i = 0; i < scores.Length; i++)
        {
            ulong key = CandidateKey.Create(scores[i], 1000 - i);
            Assert.Equal(scores[i], CandidateKey.Score(key));
            float expectedBits = scores[i] == 0f ? 0f : scores[i]; // -0 normalised to +0
            Assert.Equal(BitConverter.SingleToUInt32Bits(expectedBits), BitConverter.SingleToUInt32Bits(CandidateKey.Score(key)));
            Assert.Equal(1000 - i, CandidateKey.Token(key));
            keys.Add(key);
        }

        // Higher scores sort first; equal scores (-0 and +0, the two 2f) put the lower token id first.
        for (int i = 1; i < keys.Count; i++)
        {
            Assert.True(keys[i] < keys[i - 1]);
        }

        Assert.True(CandidateKey.Create(2f, 3) < CandidateKey.Create(2f, 4));
    }

    [Theory]
    [InlineData(1, 0f)]
    [InlineData(10, 0f)]
    [InlineData(64, 1f)]
    [InlineData(999, 0f)]
    [InlineData(1000, 0.5f)]
    public void TopK_MatchesAFullSort(int k, float quantum)
    {
        var random = new Random(k);
        for (int trial = 0; trial < 10; trial++)
        {
            float[] logits = SamplingReference.RandomLogits(random, 1000 + trial, 3f, quantum);
            if (trial == 3)
            {
                Array.Sort(logits); // ascending input: every element replaces the root
            }

            var keys = new ulong[k];
            CandidateSelection.TopK(logits, k, keys);

            int[] expected = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).Take(k).ToArray();
            Assert.Equal(expected, keys.Select(CandidateKey.Token).ToArray());
        }
    }

    [Fact]
    public void Compact_KeepsEveryWeightInTheRange_InTokenOrder()
    {
        var random = new Random(2);
        float[] weights = Enumerable.Range(0, 1037).Select(_ => (float)random.NextDouble()).ToArray();
        weights[5] = 0.5f;
        weights[6] = 0.75f;
        var keys = new ulong[weights.Length];
        int count = CandidateSelection.Compact(weights, 0.5f, 0.75f, keys);
        int[] expected = Enumerable.Range(0, weights.Length).Where(i => weights[i] >= 0.5f && weights[i] < 0.75f).ToArray();
        Assert.Contains(5, expected);
        Assert.DoesNotContain(6, expected);
        Assert.Equal(expected, keys.AsSpan(0, count).ToArray().Select(CandidateKey.Token).ToArray());

        count = CandidateSelection.Compact(weights, 0.9f, float.PositiveInfinity, keys);
        Assert.Equal(weights.Count(w => w >= 0.9f), count);
    }

    [Fact]
    public void SelectNucleus_FindsTheSmallestBestFirstPrefixReachingTheTarget()
    {
        var random = new Random(31);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = trial % 10 == 0 ? 1 + random.Next(20) : 50 + random.Next(5000);
            bool ties = trial % 4 == 1;
            float[] weights = Enumerable.Range(0, n)
                .Select(_ => ties ? random.Next(1, 6) / 8f : (float)Math.Exp(random.NextDouble() * 12 - 12))
                .ToArray();
            ulong[] keys = weights.Select(CandidateKey.Create).ToArray();
            Shuffle(random, keys);
            double total = weights.Sum(w => (double)w);
            double target = total * (trial % 7 == 0 ? 1.5 : random.NextDouble());
            if (target == 0)
            {
                target = 1e-9;
            }

            int kept = CandidateSelection.SelectNucleus(keys, target);

            int[] order = Enumerable.Range(0, n).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
            int expectedCount = n;
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                sum += weights[order[j]];
                if (sum >= target)
                {
                    expectedCount = j + 1;
                    break;
                }
            }

            Assert.Equal(expectedCount, kept);
            Assert.Equal(
                order.Take(expectedCount).Order().ToArray(),
                keys.Take(kept).Select(CandidateKey.Token).Order().ToArray());
        }
    }

    [Fact]
    public void SelectNucleus_HandlesAdversarialOrdersWithinTheRoundLimit()
    {
        // Sorted and reverse-sorted inputs, all-equal weights: the result must still be exact.
        foreach (int pattern in new[] { 0, 1, 2 })
        {
            const int n = 20000;
            float[] weights = Enumerable.Range(0, n).Select(i => pattern switch
            {
                0 => (i + 1) / (float)n,
                1 => (n - i) / (float)n,
                _ => 0.25f,
            }).ToArray();
            ulong[] keys = weights.Select(CandidateKey.Create).ToArray();
            double total = weights.Sum(w => (double)w);
            int kept = CandidateSelection.SelectNucleus(keys, total * 0.9);

            int[] order = Enumerable.Range(0, n).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
            double sum = 0;
            int expected = 0;
            while (sum < total * 0.9)
            {
                sum += weights[order[expected++]];
            }

            Assert.Equal(expected, kept);
            Assert.Equal(order.Take(expected).Order().ToArray(), keys.Take(kept).Select(CandidateKey.Token).Order().ToArray());
        }
    }

    private static void Shuffle(Random random, ulong[] keys)
    {
        for (int i = keys.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (keys[i], keys[j]) = (keys[j], keys[i]);
        }
    }
}
