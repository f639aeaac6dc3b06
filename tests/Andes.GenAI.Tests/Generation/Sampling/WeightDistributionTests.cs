using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation.Sampling;

public sealed class WeightDistributionTests
{
    private const int Chunk = 64;

    [Fact]
    public void Bins_AreMonotonic_SixteenPerPowerOfTwo()
    {
        Assert.Equal(0, WeightDistribution.BinOf(0f));
        Assert.Equal(1f, WeightDistribution.BinLowerBound(WeightDistribution.BinOf(1f)));
        Assert.InRange(WeightDistribution.BinOf(1f), 0, WeightDistribution.BinCount - 1);
        float previous = 0f;
        for (int bin = 1; bin <= WeightDistribution.BinOf(1f); bin++)
        {
            float lower = WeightDistribution.BinLowerBound(bin);
            Assert.True(lower > previous);
            Assert.Equal(bin, WeightDistribution.BinOf(lower));
            Assert.Equal(bin - 1, WeightDistribution.BinOf(MathF.BitDecrement(lower)));
            previous = lower;
        }

        // Sixteen linear bins per power of two: consecutive normal bins differ by a factor 1 + 1/32 .. 1 + 1/16.
        for (int bin = 1000; bin < 1040; bin++)
        {
            double ratio = WeightDistribution.BinLowerBound(bin + 1) / (double)WeightDistribution.BinLowerBound(bin);
            Assert.InRange(ratio, 1.0 + (1.0 / 32), 1.0 + (1.0 / 16));
        }
    }

    [Fact]
    public void Histogram_SumsTheMassPerBin_AboveTheCutoff()
    {
        var random = new Random(4);
        float[] weights = Enumerable.Range(0, 1001).Select(_ => (float)Math.Exp(-8 * random.NextDouble())).ToArray();
        var bins = new double[WeightDistribution.BinCount];
        WeightDistribution.AccumulateHistogram(weights, 0.01f, bins);

        var expected = new double[WeightDistribution.BinCount];
        foreach (float w in weights.Where(w => w >= 0.01f))
        {
            expected[WeightDistribution.BinOf(w)] += w;
        }

        for (int i = 0; i < bins.Length; i++)
        {
            Assert.Equal(expected[i], bins[i], 9);
        }
    }

    [Fact]
    public void PrefixChunkSums_CountTiesUpToTheThresholdToken()
    {
        float[] weights = new float[200];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (i % 5) / 4f; // 0, .25, .5, .75, 1 repeating: many ties
        }

        var sums = new double[(weights.Length + Chunk - 1) / Chunk];
        double total = WeightDistribution.PrefixChunkSums(weights, 0.5f, 101, sums, Chunk);

        double expected = Enumerable.Range(0, weights.Length)
            .Where(i => weights[i] > 0.5f || (weights[i] == 0.5f && i <= 101))
            .Sum(i => (double)weights[i]);
        Assert.Equal(expected, total, 9);
        Assert.Equal(expected, sums.Sum(), 9);
        Assert.Equal(Enumerable.Range(0, Chunk).Where(i => weights[i] >= 0.5f).Sum(i => (double)weights[i]), sums[0], 9);
    }

    [Fact]
    public void Draw_FollowsTheCumulativeWeightsOfThePrefix()
    {
        float[] weights = new float[300];
        weights[10] = 1f;
        weights[70] = 0.5f;
        weights[71] = 0.5f; // tie with 70: excluded by the threshold token
        weights[250] = 2f;
        weights[251] = 0.25f; // below the threshold weight
        var sums = new double[(weights.Length + Chunk - 1) / Chunk];
        double total = WeightDistribution.PrefixChunkSums(weights, 0.5f, 70, sums, Chunk);
        Assert.Equal(3.5, total, 6);

        Assert.Equal(10, WeightDistribution.Draw(weights, sums, Chunk, total, 0.0, 0.5f, 70));
        Assert.Equal(10, WeightDistribution.Draw(weights, sums, Chunk, total, 0.99 / 3.5, 0.5f, 70));
        Assert.Equal(70, WeightDistribution.Draw(weights, sums, Chunk, total, 1.01 / 3.5, 0.5f, 70));
        Assert.Equal(250, WeightDistribution.Draw(weights, sums, Chunk, total, 1.51 / 3.5, 0.5f, 70));
        Assert.Equal(250, WeightDistribution.Draw(weights, sums, Chunk, total, 0.999999, 0.5f, 70));

        // Rounding overshoot (target past the total): the last member.
        Assert.Equal(250, WeightDistribution.Draw(weights, sums, Chunk, total * 1.5, 0.99, 0.5f, 70));

        // A negative threshold weight: every token with weight counts.
        var all = new double[sums.Length];
        double everything = WeightDistribution.PrefixChunkSums(weights, -1f, int.MaxValue, all, Chunk);
        Assert.Equal(4.25, everything, 6);
        Assert.Equal(251, WeightDistribution.Draw(weights, all, Chunk, everything, 0.9999, -1f, int.MaxValue));
    }
}
