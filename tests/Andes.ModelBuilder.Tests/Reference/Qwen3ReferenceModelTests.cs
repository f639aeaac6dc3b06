using Andes.ModelBuilder;
using Andes.Testing.Reference;

namespace Andes.ModelBuilder.Tests.Reference;

public sealed class Qwen3ReferenceModelTests
{
    private const string P = "language_model.";

    /// <summary>1 layer, hidden 4, 2 heads sharing 1 kv head of dim 2, vocab 5, intermediate 3.</summary>
    private static Qwen3TextConfig HandConfig() => new()
    {
        HiddenSize = 4,
        IntermediateSize = 3,
        NumHiddenLayers = 1,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        HeadDim = 2,
        VocabSize = 5,
        RopeTheta = 10_000,
        RmsNormEps = 1e-6,
    };

    /// <summary>2 layers, hidden 16, 4 query heads over 2 kv heads of dim 8 (head_dim * heads != hidden), vocab 50.</summary>
    private static Qwen3TextConfig SmallConfig() => new()
    {
        HiddenSize = 16,
        IntermediateSize = 24,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        VocabSize = 50,
        RopeTheta = 10_000,
        RmsNormEps = 1e-6,
    };

    /// <summary>Weights from simple formulas: matrices 0.5 sin(0.37 i + name-dependent phase), norms 1 + 0.1 cos(i).</summary>
    private static Dictionary<string, float[]> FormulaWeights(Qwen3TextConfig c)
    {
        Dictionary<string, float[]> random = ReferenceWeights.CreateRandom(c, seed: 1);
        var result = new Dictionary<string, float[]>();
        int phase = 0;
        foreach ((string name, float[] w) in random.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            bool norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            phase++;
            result[name] = Enumerable.Range(0, w.Length)
                .Select(i => norm ? (float)(1 + (0.1 * Math.Cos(i + phase))) : (float)(0.5 * Math.Sin((0.37 * i) + phase)))
                .ToArray();
        }

        return result;
    }

    [Fact]
    public void HandSizedModelMatchesAnIndependentMatrixFormulation()
    {
        Qwen3TextConfig c = HandConfig();
        Dictionary<string, float[]> w = FormulaWeights(c);
        int[] ids = [3, 1, 4, 1, 0, 2];
        AssertMatchesMatrixForm(c, w, ids);
    }

    [Fact]
    public void GroupedQueryModelWithUntiedHeadMatchesTheMatrixFormulation()
    {
        Qwen3TextConfig c = SmallConfig();
        Dictionary<string, float[]> w = ReferenceWeights.CreateRandom(c, seed: 7, std: 0.3, includeLmHead: true);
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w));
        Assert.False(model.TiedEmbeddings);
        AssertMatchesMatrixForm(c, w, [5, 17, 42, 0, 49, 8, 8, 23, 11]);
    }

    [Fact]
    public void InertLayerGivesHandComputedTiedLogits()
    {
        // With o_proj and down_proj zero the layer adds nothing: logits = (e / rms(e)) . embed rows (tied, unit norm).
        // embed row v = [v, 1, 0, -1]; token 2: e = [2, 1, 0, -1], mean(e^2) = 1.5; logit v = (2v + 1 + 1) / sqrt(1.5).
        Qwen3TextConfig c = HandConfig();
        Dictionary<string, float[]> w = FormulaWeights(c);
        w[P + "model.embed_tokens.weight"] = Enumerable.Range(0, 5).SelectMany(v => new float[] { v, 1, 0, -1 }).ToArray();
        w[P + "model.layers.0.self_attn.o_proj.weight"] = new float[16];
        w[P + "model.layers.0.mlp.down_proj.weight"] = new float[12];
        w[P + "model.norm.weight"] = [1, 1, 1, 1];
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w));
        Assert.True(model.TiedEmbeddings);

        float[] logits = model.CreateSession().ForwardLast([2]);

        double r = Math.Sqrt(1.5 + 1e-6);
        Assert.Equal([2 / r, 4 / r, 6 / r, 8 / r, 10 / r], logits.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void SingleTokenAttentionReturnsTheValueProjection()
    {
        // o_proj = identity, down_proj = 0: after the layer x = e + concat(v, v) (both query heads read the one kv head),
        // whatever q and k are. v = Wv (RMSNorm(e) * w_in).
        Qwen3TextConfig c = HandConfig();
        Dictionary<string, float[]> w = FormulaWeights(c);
        w[P + "model.layers.0.self_attn.o_proj.weight"] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        w[P + "model.layers.0.mlp.down_proj.weight"] = new float[12];
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w));
        ReferenceSession session = model.CreateSession();
        session.Forward([3]);

        float[] e = model.Embed(3);
        float[] h = ReferenceMath.RmsNorm(e, w[P + "model.layers.0.input_layernorm.weight"], c.RmsNormEps);
        float[] wv = w[P + "model.layers.0.self_attn.v_proj.weight"]; // [2, 4]
        double v0 = Enumerable.Range(0, 4).Sum(i => (double)wv[i] * h[i]);
        double v1 = Enumerable.Range(0, 4).Sum(i => (double)wv[4 + i] * h[i]);
        float[] x = [(float)(e[0] + v0), (float)(e[1] + v1), (float)(e[2] + v0), (float)(e[3] + v1)];
        float[] expected = ReferenceMath.RmsNorm(x, w[P + "model.norm.weight"], c.RmsNormEps);

        Assert.Equal(expected, session.LastHiddenStates[0], (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal([(float)v0, (float)v1], session.GetValueCache(0), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void CachedIncrementalDecodingEqualsFullRecompute()
    {
        Qwen3TextConfig c = SmallConfig();
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(ReferenceWeights.CreateRandom(c, seed: 3, std: 0.3)));
        int[] ids = [1, 9, 33, 2, 48, 7, 7, 0, 15, 26, 31, 4, 44, 12, 19, 5, 38];

        float[][] full = model.CreateSession().Forward(ids);

        ReferenceSession session = model.CreateSession();
        var incremental = new List<float[]>();
        incremental.AddRange(session.Forward(ids.AsSpan(0, 12)));
        for (int t = 12; t < ids.Length; t++)
        {
            incremental.AddRange(session.Forward(ids.AsSpan(t, 1)));
            Assert.Equal(t + 1, session.Length);
        }

        // And uneven chunks.
        ReferenceSession chunked = model.CreateSession();
        var chunkedLogits = new List<float[]>();
        chunkedLogits.AddRange(chunked.Forward(ids.AsSpan(0, 5)));
        chunkedLogits.AddRange(chunked.Forward(ids.AsSpan(5, 7)));
        chunkedLogits.AddRange(chunked.Forward(ids.AsSpan(12)));

        for (int t = 0; t < ids.Length; t++)
        {
            Assert.Equal(full[t], incremental[t], (a, b) => Math.Abs(a - b) <= 1e-6);
            Assert.Equal(full[t], chunkedLogits[t], (a, b) => Math.Abs(a - b) <= 1e-6);
        }

        Assert.Equal(model.CreateSession().ForwardLast(ids), full[^1]);
        session.Reset();
        Assert.Equal(0, session.Length);
        Assert.Equal(full[0], session.Forward(ids.AsSpan(0, 1))[0]);
    }

    [Fact]
    public void TinyShapePrompt64Then16GreedyStepsMatchFullRecompute()
    {
        // The tiny test model's shape: real vocabulary, hidden 64, 2 layers.
        var c = new Qwen3TextConfig
        {
            HiddenSize = 64,
            IntermediateSize = 128,
            NumHiddenLayers = 2,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            HeadDim = 32,
        };
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(ReferenceWeights.CreateRandom(c, seed: 64, std: 0.1)));
        var random = new Random(5);
        var ids = Enumerable.Range(0, 64).Select(_ => random.Next(c.VocabSize)).ToList();

        ReferenceSession session = model.CreateSession();
        float[] logits = session.ForwardLast(ids.ToArray());
        for (int step = 0; step < 16; step++)
        {
            float[] recomputed = model.CreateSession().ForwardLast(ids.ToArray());
            Assert.Equal(recomputed, logits, (a, b) => Math.Abs(a - b) <= 1e-6);
            int next = ArgMax(logits);
            ids.Add(next);
            logits = session.ForwardLast([next]);
        }

        Assert.Equal(80, session.Length);
        Assert.Equal(c.NumKeyValueHeads * 80 * c.HeadDim, session.GetKeyCache(1).Length);
    }

    [Fact]
    public void EmbeddingRowsGiveTheSameLogitsAsTokenIds()
    {
        Qwen3TextConfig c = SmallConfig();
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(ReferenceWeights.CreateRandom(c, seed: 4, std: 0.3)));
        int[] ids = [3, 14, 15, 9, 26];
        float[][] fromIds = model.CreateSession().Forward(ids);
        float[][] fromRows = model.CreateSession().ForwardEmbeddings(model.Embed(ids));
        Assert.Equal(fromIds, fromRows);

        // An "image" row scattered in changes that position and the later ones, not the earlier ones.
        float[][] rows = model.Embed(ids);
        rows[2] = Enumerable.Range(0, c.HiddenSize).Select(i => (float)Math.Sin(i)).ToArray();
        ReferenceSession s = model.CreateSession();
        float[][] withImage = s.ForwardEmbeddings(rows);
        Assert.Equal(fromIds[1], withImage[1]);
        Assert.NotEqual(fromIds[2], withImage[2]);
        Assert.Equal(withImage[4], model.CreateSession().ForwardEmbeddingsLast(rows));
    }

    [Fact]
    public void CachesHoldRotatedKeysAndValuesHeadMajor()
    {
        Qwen3TextConfig c = SmallConfig();
        Dictionary<string, float[]> w = ReferenceWeights.CreateRandom(c, seed: 8, std: 0.3);
        int[] ids = [4, 8, 15, 16, 23, 42];
        ReferenceSession session = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w)).CreateSession();
        session.Forward(ids);
        var matrix = new MatrixQwen3Forward(c, w);
        matrix.Logits(ids);
        for (int layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            float[] keys = session.GetKeyCache(layer), values = session.GetValueCache(layer);
            for (int head = 0; head < c.NumKeyValueHeads; head++)
            {
                for (int t = 0; t < ids.Length; t++)
                {
                    for (int i = 0; i < c.HeadDim; i++)
                    {
                        int flat = (((head * ids.Length) + t) * c.HeadDim) + i;
                        Assert.Equal(matrix.Keys[layer][t, (head * c.HeadDim) + i], keys[flat], 1e-5);
                        Assert.Equal(matrix.Values[layer][t, (head * c.HeadDim) + i], values[flat], 1e-5);
                    }
                }
            }
        }
    }

    [Fact]
    public void QuantizedLinearsProviderServesDequantisedProjections()
    {
        Qwen3TextConfig c = SmallConfig();
        Dictionary<string, float[]> w = ReferenceWeights.CreateRandom(c, seed: 9, std: 0.3);
        var options = new QuantizationOptions { Bits = 8, BlockSize = 16, Symmetric = false };
        Func<string, float[]?> provider = ReferenceWeights.WithQuantizedLinears(ReferenceWeights.FromDictionary(w), c, options);
        var quantised = new Qwen3ReferenceModel(c, provider);
        var exact = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w));

        string down = P + "model.layers.1.mlp.down_proj.weight";
        float[] expected = BlockQuantizer.Dequantize(BlockQuantizer.Quantize(w[down], c.HiddenSize, c.IntermediateSize, options));
        Assert.Equal(expected, quantised.GetWeight(down));
        Assert.NotEqual(w[down], quantised.GetWeight(down));
        Assert.Same(w[P + "model.embed_tokens.weight"], quantised.GetWeight(P + "model.embed_tokens.weight"));
        Assert.Same(w[P + "model.norm.weight"], quantised.GetWeight(P + "model.norm.weight"));

        int[] ids = [1, 2, 3, 4, 5, 6];
        float[] a = exact.CreateSession().ForwardLast(ids), b = quantised.CreateSession().ForwardLast(ids);
        double diff = Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum() / a.Select(x => (double)x * x).Sum());
        Assert.InRange(diff, 1e-5, 0.05); // int8: close to, but not exactly, the float model
    }

    [Fact]
    public void TensorSourceProviderReadsTensorsAndReportsMissingOnes()
    {
        Qwen3TextConfig c = SmallConfig();
        Dictionary<string, float[]> w = ReferenceWeights.CreateRandom(c, seed: 10, std: 0.3);
        using var source = new DictionaryTensorSource(w);
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromTensorSource(source));
        Assert.True(model.TiedEmbeddings);
        Assert.Equal(w[P + "model.layers.0.self_attn.k_proj.weight"], model.GetWeight(P + "model.layers.0.self_attn.k_proj.weight"));
        Assert.Equal(new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w)).CreateSession().ForwardLast([7, 8]), model.CreateSession().ForwardLast([7, 8]));
    }

    [Fact]
    public void BadWeightsAndInputsAreReportedByName()
    {
        Qwen3TextConfig c = SmallConfig();
        Dictionary<string, float[]> w = ReferenceWeights.CreateRandom(c, seed: 11);
        string qNorm = P + "model.layers.1.self_attn.q_norm.weight";

        float[] saved = w[qNorm];
        w.Remove(qNorm);
        ArgumentException missing = Assert.Throws<ArgumentException>(() => new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w)));
        Assert.Contains(qNorm, missing.Message);

        w[qNorm] = new float[7];
        ArgumentException wrong = Assert.Throws<ArgumentException>(() => new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w)));
        Assert.Contains(qNorm, wrong.Message);
        Assert.Contains("needs 8", wrong.Message);
        w[qNorm] = saved;

        var badConfig = SmallConfig();
        badConfig.NumKeyValueHeads = 3;
        Assert.Contains("num_key_value_heads", Assert.Throws<ArgumentException>(() => new Qwen3ReferenceModel(badConfig, ReferenceWeights.FromDictionary(w))).Message);

        ReferenceSession session = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w)).CreateSession();
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward([1, 50]));
        Assert.Equal(0, session.Length);
        Assert.Throws<ArgumentException>(() => session.ForwardEmbeddings([new float[15]]));
        Assert.Throws<ArgumentException>(() => session.Forward([]));
    }

    private static void AssertMatchesMatrixForm(Qwen3TextConfig c, Dictionary<string, float[]> w, int[] ids)
    {
        var model = new Qwen3ReferenceModel(c, ReferenceWeights.FromDictionary(w));
        float[][] logits = model.CreateSession().Forward(ids);
        double[,] expected = new MatrixQwen3Forward(c, w).Logits(ids);
        double scale = 0;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        Assert.True(scale > 0.1, "the test case should produce non-trivial logits");
        for (int t = 0; t < ids.Length; t++)
        {
            for (int v = 0; v < c.VocabSize; v++)
            {
                Assert.True(Math.Abs(expected[t, v] - logits[t][v]) <= 1e-5 * scale, $"position {t} token {v}: {logits[t][v]} vs {expected[t, v]}");
            }
        }
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>A checkpoint stand-in serving float32 tensors from memory.</summary>
    private sealed class DictionaryTensorSource(Dictionary<string, float[]> tensors) : ITensorSource
    {
        public IReadOnlyList<string> Names => tensors.Keys.Order(StringComparer.Ordinal).ToList();

        public bool Contains(string name) => tensors.ContainsKey(name);

        public TensorInfo GetInfo(string name) =>
            tensors.TryGetValue(name, out float[]? w)
                ? new TensorInfo(name, TensorDataType.Float32, [w.Length], "memory", 0, w.Length * 4L)
                : throw new CheckpointException($"No tensor '{name}'.", "memory", name);

        public void ReadFloat32(string name, long elementOffset, Span<float> destination) =>
            tensors[name].AsSpan((int)elementOffset, destination.Length).CopyTo(destination);

        public void Dispose()
        {
        }
    }
}
