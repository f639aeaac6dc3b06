using Andes.ModelBuilder;
using Andes.Testing.Onnx;

namespace Andes.Testing.Reference;

/// <summary>Compares a converted model folder's logits with the reference forward.</summary>
public static class ReferenceParity
{
    /// <summary>
    /// The reference on the weights a quantised conversion stores: layer projections and the (tied) lm_head quantised
    /// then dequantised with <paramref name="options"/>; embeddings and norms exact.
    /// </summary>
    public static Qwen3ReferenceModel Dequantised(ITensorSource checkpoint, Qwen3TextConfig text, QuantizationOptions options)
    {
        Func<string, float[]?> exact = ReferenceWeights.FromTensorSource(checkpoint);
        Func<string, float[]?> layers = ReferenceWeights.WithQuantizedLinears(exact, text, options);
        string lmHeadSource = checkpoint.Contains("language_model.lm_head.weight") ? "language_model.lm_head.weight" : "language_model.model.embed_tokens.weight";
        var lmHead = new Lazy<float[]>(() => BlockQuantizer.Dequantize(BlockQuantizer.Quantize(exact(lmHeadSource), text.VocabSize, text.HiddenSize, options)));
        return new Qwen3ReferenceModel(text, name => name == "language_model.lm_head.weight" ? lmHead.Value : layers(name));
    }

    /// <summary>
    /// Runs a seeded random prompt then greedy single-token steps through both the reference and the folder's graphs
    /// (fed the same tokens), and returns the largest logit difference seen.
    /// </summary>
    public static double MaxLogitDifference(Qwen3ReferenceModel reference, string modelDirectory, int promptLength, int decodeSteps, int seed = 42)
    {
        var random = new Random(seed);
        int vocab = reference.Config.VocabSize;
        int[] prompt = Enumerable.Range(0, promptLength).Select(_ => random.Next(vocab)).ToArray();
        ReferenceSession session = reference.CreateSession();
        using var onnx = new OnnxDecoderHarness(modelDirectory);

        float[] expected = session.ForwardLast(prompt);
        double worst = LogitAssert.MaxAbsDiff(expected, onnx.Forward(prompt));
        for (int step = 0; step < decodeSteps; step++)
        {
            int next = LogitAssert.ArgMax(expected);
            expected = session.ForwardLast([next]);
            worst = Math.Max(worst, LogitAssert.MaxAbsDiff(expected, onnx.Forward([next])));
        }

        return worst;
    }
}
