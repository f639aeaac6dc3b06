using Andes.Testing.Reference;

namespace Andes.ModelBuilder.Tests.Reference;

public sealed class ReferenceMathTests
{
    [Fact]
    public void RotaryAtPositionZeroIsTheIdentity()
    {
        double[] inv = ReferenceMath.RotaryInverseFrequencies(8, 1_000_000);
        float[] x = [0.5f, -1, 2, 3, -4, 0.25f, 7, -0.125f];
        float[] y = (float[])x.Clone();
        ReferenceMath.ApplyRotary(y, 0, inv);
        Assert.Equal(x, y);
    }

    [Fact]
    public void RotaryRotatesHalvesByHand()
    {
        // D = 4, theta = 100: inv_freq = [100^0, 100^(-1/2)] = [1, 0.1]; position 2 -> angles 2 and 0.2.
        double[] inv = ReferenceMath.RotaryInverseFrequencies(4, 100);
        Assert.Equal([1.0, 0.1], inv, (a, b) => Math.Abs(a - b) < 1e-15);
        float[] x = [1, 2, 3, 4];
        ReferenceMath.ApplyRotary(x, 2, inv);
        Assert.Equal((1 * Math.Cos(2)) - (3 * Math.Sin(2)), x[0], 6);
        Assert.Equal((2 * Math.Cos(0.2)) - (4 * Math.Sin(0.2)), x[1], 6);
        Assert.Equal((3 * Math.Cos(2)) + (1 * Math.Sin(2)), x[2], 6);
        Assert.Equal((4 * Math.Cos(0.2)) + (2 * Math.Sin(0.2)), x[3], 6);
    }

    [Fact]
    public void RotaryDotProductDependsOnlyOnTheRelativePosition()
    {
        double[] inv = ReferenceMath.RotaryInverseFrequencies(8, 10_000);
        float[] q = [0.3f, -1.2f, 0.7f, 2, -0.5f, 1.1f, 0.9f, -0.2f];
        float[] k = [1, 0.4f, -0.6f, 0.8f, 0.1f, -1.5f, 0.3f, 0.6f];
        double Dot(int pq, int pk)
        {
            float[] a = (float[])q.Clone(), b = (float[])k.Clone();
            ReferenceMath.ApplyRotary(a, pq, inv);
            ReferenceMath.ApplyRotary(b, pk, inv);
            return a.Zip(b, (x, y) => (double)x * y).Sum();
        }

        Assert.Equal(Dot(5, 2), Dot(13, 10), 5);
        Assert.Equal(Dot(3, 3), q.Zip(k, (x, y) => (double)x * y).Sum(), 5);
    }

    [Fact]
    public void RmsNormByHand()
    {
        // mean(v^2) = (1 + 4 + 9 + 16) / 4 = 7.5
        float[] y = ReferenceMath.RmsNorm([1, 2, 3, 4], [1, 1, 2, 0.5f], 0);
        double r = Math.Sqrt(7.5);
        Assert.Equal([1 / r, 2 / r, 6 / r, 2 / r], y.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-6);
        float[] withEps = ReferenceMath.RmsNorm([0, 0], [1, 1], 1e-6);
        Assert.Equal([0f, 0f], withEps);
    }

    [Fact]
    public void AttentionOfASingleTokenReturnsItsValue()
    {
        float[] key = [9, 9, 0.5f, -2, 9, 9];
        float[] value = [9, 9, 3, -7, 9, 9];
        var output = new float[2];
        ReferenceMath.Attend([100, -50], [key], [value], 2, 1, 1 / Math.Sqrt(2), output);
        Assert.Equal([3f, -7f], output);
    }

    [Fact]
    public void AttentionWeighsValuesBySoftmaxOfScaledScores()
    {
        // q . k0 = 0, q . k1 = 2 -> scaled by 0.5: [0, 1] -> weights [1, e] / (1 + e).
        float[][] keys = [[0, 0], [2, 0]];
        float[][] values = [[1, 0], [0, 1]];
        var output = new float[2];
        ReferenceMath.Attend([1, 5], keys, values, 0, 2, 0.5, output);
        Assert.Equal(1 / (1 + Math.E), output[0], 6);
        Assert.Equal(Math.E / (1 + Math.E), output[1], 6);

        // Causality is the count: only the first position visible.
        ReferenceMath.Attend([1, 5], keys, values, 0, 1, 0.5, output);
        Assert.Equal([1f, 0f], output);
    }

    [Fact]
    public void SiluByHand()
    {
        Assert.Equal(0, ReferenceMath.Silu(0));
        Assert.Equal(1 / (1 + Math.Exp(-1)), ReferenceMath.Silu(1), 12);
        Assert.Equal(-2 / (1 + Math.Exp(2)), ReferenceMath.Silu(-2), 12);
    }

    [Fact]
    public void MatVecIsRowTimesInputSerialOrParallel()
    {
        float[] w = [1, 2, 3, 4, 5, 6]; // [2 out, 3 in]
        Assert.Equal([14f, 32f], ReferenceMath.MatVec(w, [1, 2, 3]));
        var big = new float[5000 * 3];
        for (int i = 0; i < big.Length; i++)
        {
            big[i] = i % 7;
        }

        Assert.Equal(ReferenceMath.MatVec(big, [1, -1, 0.5f]), ReferenceMath.MatVec(big, [1, -1, 0.5f], parallel: true));
    }
}
