using Andes.ModelBuilder.Checkpoints;
using Andes.ModelBuilder.Quantization;
using Andes.ModelBuilder.SafeTensors;
using Andes.Testing;
using Andes.Testing.Onnx;
using Andes.Testing.Reference;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Architectures;

/// <summary>The converted tiny model's ONNX logits against the loop-based reference forward.</summary>
public sealed class Qwen3DecoderParityTests(ITestOutputHelper output)
{
    private const int PromptLength = 64;
    private const int DecodeSteps = 16;

    [Fact]
    public void Fp32LogitsMatchReferenceOverPromptAndDecodeSteps()
    {
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var reference = new Qwen3ReferenceModel(config.TextConfig, ReferenceWeights.FromTensorSource(source));
        double worst = RunParity(reference, TestModels.TinyFp32Model, config.TextConfig.VocabSize);
        output.WriteLine($"fp32 max abs diff over {PromptLength}+{DecodeSteps} steps: {worst:G3}");
        Assert.True(worst <= 1e-4, $"fp32 logits differ from the reference by {worst:G3} (> 1e-4).");
    }

    [Fact]
    public void Int4LogitsMatchReferenceOnDequantisedWeights()
    {
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        Qwen3TextConfig text = config.TextConfig;
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var q = new QuantizationOptions { Bits = 4, BlockSize = TestModels.Int4Options.BlockSize, Symmetric = TestModels.Int4Options.Symmetric, AccuracyLevel = 0 };
        Func<string, float[]?> checkpoint = ReferenceWeights.FromTensorSource(source);
        Func<string, float[]?> layers = ReferenceWeights.WithQuantizedLinears(checkpoint, text, q);
        float[] lmHead = BlockQuantizer.Dequantize(BlockQuantizer.Quantize(checkpoint("language_model.model.embed_tokens.weight"), text.VocabSize, text.HiddenSize, q));
        Func<string, float[]?> weights = name => name == "language_model.lm_head.weight" ? lmHead : layers(name);
        var reference = new Qwen3ReferenceModel(text, weights);

        double worst = RunParity(reference, TestModels.TinyInt4Model, text.VocabSize);
        output.WriteLine($"int4 max abs diff (vs dequantised reference): {worst:G3}");
        Assert.True(worst <= 1e-3, $"int4 logits differ from the dequantised reference by {worst:G3} (> 1e-3).");
    }

    [Fact]
    public void PromptPassReturnsLogitsForTheLastPositionOnly()
    {
        using var onnx = new OnnxDecoderHarness(TestModels.TinyFp32Model);
        var logitsShape = onnx.Decoder.OutputMetadata["logits"].Dimensions;
        Assert.Equal(3, logitsShape.Length);
        Assert.Equal(1, logitsShape[1]);
        float[] logits = onnx.Forward(Enumerable.Range(100, 700).ToArray());
        Assert.Equal(151936, logits.Length);
    }

    private static double RunParity(Qwen3ReferenceModel reference, string modelDirectory, int vocab)
    {
        var random = new Random(42);
        int[] prompt = Enumerable.Range(0, PromptLength).Select(_ => random.Next(vocab)).ToArray();
        ReferenceSession session = reference.CreateSession();
        using var onnx = new OnnxDecoderHarness(modelDirectory);

        float[] expected = session.ForwardLast(prompt);
        float[] actual = onnx.Forward(prompt);
        double worst = LogitAssert.MaxAbsDiff(expected, actual);
        for (int step = 0; step < DecodeSteps; step++)
        {
            int next = LogitAssert.ArgMax(expected);
            expected = session.ForwardLast([next]);
            actual = onnx.Forward([next]);
            worst = Math.Max(worst, LogitAssert.MaxAbsDiff(expected, actual));
        }

        return worst;
    }
}
