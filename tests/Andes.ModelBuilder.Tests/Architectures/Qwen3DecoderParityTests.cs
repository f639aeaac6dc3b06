using Andes.ModelBuilder;
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
        double worst = ReferenceParity.MaxLogitDifference(reference, TestModels.TinyFp32Model, PromptLength, DecodeSteps);
        output.WriteLine($"fp32 max abs diff over {PromptLength}+{DecodeSteps} steps: {worst:G3}");
        Assert.True(worst <= 1e-4, $"fp32 logits differ from the reference by {worst:G3} (> 1e-4).");
    }

    [Fact]
    public void Int4LogitsMatchReferenceOnDequantisedWeights()
    {
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var q = new QuantizationOptions { Bits = 4, BlockSize = TestModels.Int4Options.BlockSize, Symmetric = TestModels.Int4Options.Symmetric, AccuracyLevel = 0 };
        Qwen3ReferenceModel reference = ReferenceParity.Dequantised(source, config.TextConfig, q);
        double worst = ReferenceParity.MaxLogitDifference(reference, TestModels.TinyInt4Model, PromptLength, DecodeSteps);
        output.WriteLine($"int4 max abs diff (vs dequantised reference): {worst:G3}");
        Assert.True(worst <= 1e-3, $"int4 logits differ from the dequantised reference by {worst:G3} (> 1e-3).");
    }

    [Fact]
    public void PromptPassReturnsLogitsForTheLastPositionOnly()
    {
        using var onnx = new OnnxDecoderHarness(TestModels.TinyFp32Model);
        int[] logitsShape = onnx.Decoder.OutputMetadata["logits"].Dimensions;
        Assert.Equal(3, logitsShape.Length);
        Assert.Equal(1, logitsShape[1]);
        float[] logits = onnx.Forward(Enumerable.Range(100, 700).ToArray());
        Assert.Equal(151936, logits.Length);
    }
}
