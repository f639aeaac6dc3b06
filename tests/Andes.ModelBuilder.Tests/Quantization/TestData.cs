namespace Andes.ModelBuilder.Tests.Quantization;

/// <summary>Seeded random test tensors.</summary>
internal static class TestData
{
    public static float[] Gaussian(int count, double std, int seed, double mean = 0)
    {
        var random = new Random(seed);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            result[i] = (float)(mean + (std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
        }

        return result;
    }
}
