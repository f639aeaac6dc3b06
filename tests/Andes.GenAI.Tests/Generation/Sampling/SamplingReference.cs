namespace Andes.GenAI.Tests.Generation.Sampling;

/// <summary>
/// A slow, obviously-correct reference for the sampler's distribution: full sort, Hugging Face order
/// (temperature -> top-k -> top-p -> min-p), ties to the lower token id, double precision.
/// </summary>
internal static class SamplingReference
{
    /// <summary>Returns the probability of every token after filtering (0 for removed tokens).</summary>
    public static double[] Distribution(ReadOnlySpan<float> logits, float temperature, int topK, float topP, float minP)
    {
        int v = logits.Length;
        float[] copy = logits.ToArray();
        int[] order = Enumerable.Range(0, v)
            .Where(i => copy[i] != float.NegativeInfinity)
            .OrderByDescending(i => copy[i]).ThenBy(i => i)
            .ToArray();
        if (topK > 0 && topK < order.Length)
        {
            order = order[..topK];
        }

        double max = copy[order[0]];
        double[] weights = order.Select(i => Math.Exp((copy[i] - max) / temperature)).ToArray();
        int keep = order.Length;
        if (topP < 1f)
        {
            double target = topP * weights.Sum();
            double before = 0;
            keep = 0;
            while (keep < order.Length && (keep == 0 || before < target))
            {
                before += weights[keep++];
            }
        }

        while (keep > 1 && weights[keep - 1] < minP)
        {
            keep--;
        }

        double total = weights.Take(keep).Sum();
        var result = new double[v];
        for (int j = 0; j < keep; j++)
        {
            result[order[j]] = weights[j] / total;
        }

        return result;
    }

    /// <summary>Random logits: normal with the given scale, optionally quantised to make many ties.</summary>
    public static float[] RandomLogits(Random random, int vocab, float scale = 1f, float quantum = 0f)
    {
        var logits = new float[vocab];
        for (int i = 0; i < vocab; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            float value = (float)(normal * scale);
            logits[i] = quantum > 0f ? MathF.Round(value / quantum) * quantum : value;
        }

        return logits;
    }
}
