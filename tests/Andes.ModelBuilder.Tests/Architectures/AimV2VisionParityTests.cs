using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Onnx;
using Andes.Testing.Reference;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Architectures;

/// <summary>The converted tiny model's vision graph (AIMv2 + connector) against the loop-based reference.</summary>
public sealed class AimV2VisionParityTests(ITestOutputHelper output)
{
    private const int VisionPadId = 151654;
    private const int ImageStartId = 151652;
    private const int ImageEndId = 151653;

    [Fact]
    public void Fp32FeaturesOfOneImageMatchTheReference()
    {
        (int, int)[] grids = [(4, 6)];
        float[] patches = Patches(grids, seed: 1);
        float[][] expected = Reference().Forward(patches, grids);
        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        float[] actual = vision.Encode(patches, grids);
        Assert.Equal(6, expected.Length);
        double diff = MaxDiff(expected, actual);
        output.WriteLine($"one image (4, 6): max abs diff {diff:G3}, feature rms {Rms(expected):G3}");
        Assert.True(diff <= 1e-4, $"fp32 image features differ from the reference by {diff:G3} (> 1e-4).");
    }

    [Fact]
    public void Fp32FeaturesOfTwoImagesOfDifferentGridsMatchTheReferenceAndEachImageAlone()
    {
        (int, int)[] grids = [(4, 6), (8, 4)];
        float[] patches = Patches(grids, seed: 2);
        AimV2ReferenceModel reference = Reference();
        float[][] expected = reference.Forward(patches, grids);
        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        float[] actual = vision.Encode(patches, grids);
        Assert.Equal(6 + 8, expected.Length);
        double diff = MaxDiff(expected, actual);
        output.WriteLine($"two images (4, 6) + (8, 4): max abs diff {diff:G3}");
        Assert.True(diff <= 1e-4, $"fp32 image features differ from the reference by {diff:G3} (> 1e-4).");

        // Attention stays inside each image: encoding the second image alone gives the same rows.
        int pixels = reference.PatchValues;
        float[] second = vision.Encode(patches.AsSpan(24 * pixels).ToArray(), [(8, 4)]);
        double alone = 0;
        for (int i = 0; i < second.Length; i++)
        {
            alone = Math.Max(alone, Math.Abs(second[i] - actual[(6 * vision.HiddenSize) + i]));
        }

        Assert.True(alone <= 1e-5, $"the second image's features change by {alone:G3} when encoded with the first.");
    }

    [Theory]
    [InlineData(2, 2)] // fewer positions than the 4 x 4 table: downsampling
    [InlineData(4, 4)] // the table's own grid: identity
    [InlineData(2, 10)]
    [InlineData(12, 6)]
    public void Fp32FeaturesMatchTheReferenceForGridsSmallerAndLargerThanThePositionTable(int rows, int cols)
    {
        (int, int)[] grids = [(rows, cols)];
        float[] patches = Patches(grids, seed: rows * 100 + cols);
        float[][] expected = Reference().Forward(patches, grids);
        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        double diff = MaxDiff(expected, vision.Encode(patches, grids));
        output.WriteLine($"grid ({rows}, {cols}): max abs diff {diff:G3}");
        Assert.True(diff <= 1e-4, $"fp32 image features for grid ({rows}, {cols}) differ from the reference by {diff:G3} (> 1e-4).");
    }

    [Fact]
    public void Int4FeaturesMatchTheReferenceOnDequantisedWeights()
    {
        (int, int)[] grids = [(4, 6), (8, 4)];
        float[] patches = Patches(grids, seed: 3);
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var q = new QuantizationOptions { Bits = 4, BlockSize = TestModels.Int4Options.BlockSize, Symmetric = TestModels.Int4Options.Symmetric, AccuracyLevel = 0 };
        Func<string, float[]?> weights = ReferenceWeights.WithQuantizedMatrices(ReferenceWeights.FromTensorSource(source), AimV2ReferenceModel.QuantizedLinears(config.VisionConfig!), q);
        float[][] expected = new AimV2ReferenceModel(config.VisionConfig!, config.TextConfig.HiddenSize, weights).Forward(patches, grids);
        using var vision = new OnnxVisionHarness(TestModels.TinyInt4Model);
        float[] actual = vision.Encode(patches, grids);
        double diff = MaxDiff(expected, actual);
        double exactDiff = MaxDiff(Reference().Forward(patches, grids), actual);
        output.WriteLine($"int4: max abs diff {diff:G3} vs the dequantised reference, {exactDiff:G3} vs the float reference");
        Assert.True(diff <= 1e-3, $"int4 image features differ from the dequantised reference by {diff:G3} (> 1e-3).");
        Assert.True(exactDiff > 10 * diff, "the int4 graph should differ from the float reference more than from the dequantised one");
    }

    [Fact]
    public void LogitsOfAPromptWithTwoImagesMatchTheReference()
    {
        (int, int)[] grids = [(4, 6), (8, 4)];
        float[] patches = Patches(grids, seed: 4);
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        Func<string, float[]?> weights = ReferenceWeights.FromTensorSource(source);
        float[][] referenceFeatures = new AimV2ReferenceModel(config.VisionConfig!, config.TextConfig.HiddenSize, weights).Forward(patches, grids);
        var text = new Qwen3ReferenceModel(config.TextConfig, weights);

        // "<|im_start|>user\n<img>6 pads</img> and <img>8 pads</img> what?" as ids, roughly.
        var ids = new List<int> { 151644, 872, 198, ImageStartId };
        ids.AddRange(Enumerable.Repeat(VisionPadId, 6));
        ids.AddRange([ImageEndId, 323, ImageStartId]);
        ids.AddRange(Enumerable.Repeat(VisionPadId, 8));
        ids.AddRange([ImageEndId, 1128, 30, 151645, 198, 151644, 77091, 198]);

        float[][] rows = text.Embed(ids.ToArray());
        int next = 0;
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] == VisionPadId)
            {
                rows[i] = referenceFeatures[next++];
            }
        }

        float[] expected = text.CreateSession().ForwardEmbeddingsLast(rows);

        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        float[] features = vision.Encode(patches, grids);
        using var onnx = new OnnxDecoderHarness(TestModels.TinyFp32Model);
        float[] embedded = onnx.Embed(ids.ToArray(), features);
        int h = config.TextConfig.HiddenSize;
        for (int i = 0; i < ids.Count; i++)
        {
            float[] want = ids[i] == VisionPadId ? rows[i] : text.Embed(ids[i]);
            for (int j = 0; j < h; j++)
            {
                Assert.True(Math.Abs(embedded[(i * h) + j] - want[j]) <= 1e-4, $"embedding row {i} (token {ids[i]}) differs at {j}");
            }
        }

        float[] actual = onnx.Forward(ids.ToArray(), features);
        double diff = LogitAssert.MaxAbsDiff(expected, actual);
        float[] textOnly = text.CreateSession().ForwardLast(ids.ToArray());
        output.WriteLine($"two-image prompt: max logit diff {diff:G3}; images move the logits by {LogitAssert.MaxAbsDiff(expected, textOnly):G3}");
        Assert.True(diff <= 1e-4, $"logits of the two-image prompt differ from the reference by {diff:G3} (> 1e-4).");
        Assert.True(LogitAssert.MaxAbsDiff(expected, textOnly) > 0.1, "the image features should change the logits");
    }

    [Fact]
    public void TextOnlyPromptsStillRunThroughTheEmbeddingGraph()
    {
        using var onnx = new OnnxDecoderHarness(TestModels.TinyFp32Model);
        Assert.True(onnx.TakesImageFeatures);
        int[] ids = [151644, 872, 198, 9707, 151645];
        float[] embedded = onnx.Embed(ids);
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var text = new Qwen3ReferenceModel(config.TextConfig, ReferenceWeights.FromTensorSource(source));
        Assert.Equal(text.Embed(ids).SelectMany(r => r), embedded);
    }

    [Fact]
    public void ImageFeaturesAreNotDegenerate()
    {
        (int, int)[] grids = [(8, 8)];
        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        float[] features = vision.Encode(Patches(grids, seed: 5), grids);
        int h = vision.HiddenSize, tokens = features.Length / h;
        Assert.Equal(16, tokens);
        Assert.All(features, v => Assert.True(float.IsFinite(v)));
        double rms = Math.Sqrt(features.Average(v => (double)v * v));
        output.WriteLine($"feature rms {rms:G3} (token embeddings: {2 / Math.Sqrt(h):G3})");
        Assert.InRange(rms, 0.5 * 2 / Math.Sqrt(h), 2 * 2 / Math.Sqrt(h));

        // Different groups give clearly different rows.
        double minDistance = double.MaxValue;
        for (int a = 0; a < tokens; a++)
        {
            for (int b = a + 1; b < tokens; b++)
            {
                double d = 0;
                for (int j = 0; j < h; j++)
                {
                    double e = features[(a * h) + j] - features[(b * h) + j];
                    d += e * e;
                }

                minDistance = Math.Min(minDistance, Math.Sqrt(d));
            }
        }

        Assert.True(minDistance > 0.2 * rms * Math.Sqrt(h), $"two image rows are nearly equal (distance {minDistance:G3})");
    }

    [Fact]
    public void ChangingOnePatchMovesItsOwnTokenMostItsImageSomeAndTheOtherImageNot()
    {
        (int, int)[] grids = [(4, 4), (2, 6)];
        float[] patches = Patches(grids, seed: 10);
        float[] changed = (float[])patches.Clone();
        var random = new Random(11);
        for (int i = 0; i < 3 * 14 * 14; i++)
        {
            changed[i] = (float)((random.NextDouble() * 4) - 2);
        }

        using var vision = new OnnxVisionHarness(TestModels.TinyFp32Model);
        float[] a = vision.Encode(patches, grids), b = vision.Encode(changed, grids);
        int h = vision.HiddenSize;
        double Change(int first, int count) => Math.Sqrt(Enumerable.Range(first * h, count * h).Average(i => Math.Pow(a[i] - b[i], 2)));
        double own = Change(0, 1), sameImage = Change(1, 3), otherImage = Change(4, 3);
        output.WriteLine($"own token {own:G3}, rest of its image {sameImage:G3}, other image {otherImage:G3}");
        Assert.True(own > 2 * sameImage, "a patch should mostly move its own token");
        Assert.True(sameImage > 0.05 * own, "attention should carry some of the change to the image's other tokens");
        Assert.Equal(0, otherImage);
    }

    [Theory]
    [InlineData("one_dim", true, true, true, false)]
    [InlineData("two_dim", false, false, false, true)]
    public void ConfigurationVariantsMatchTheReference(string interpolation, bool positions, bool qkvBias, bool useBias, bool disableRope)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        AndesVLConfig config = CheckpointShape.Tiny.CreateConfig();
        config.TextConfig.VocabSize = 4096; // the language model is not under test: keep the files small
        AndesVisionConfig v = config.VisionConfig!;
        (v.InterpolatePeMethod, v.PreserveOriginalPe, v.QkvBias, v.UseBias, v.DisableRope) = (interpolation, positions, qkvBias, useBias, disableRope);
        string checkpoint = Path.Combine(temp.Path, "checkpoint"), model = Path.Combine(temp.Path, "model");
        CheckpointGenerator.Generate(checkpoint, config, new CheckpointGeneratorOptions { Seed = 99 });
        ModelConversionProgress last = default;
        ModelConverter.Convert(checkpoint, model, new ModelConversionOptions { Precision = WeightPrecision.Float32, ContextLength = 256 }, new Progress(p => last = p));
        Assert.Equal(last.TensorsTotal, last.TensorsDone); // the progress total counts the vision tensors right

        (int, int)[] grids = [(4, 6), (2, 8)];
        float[] patches = Patches(grids, seed: 6);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(checkpoint);
        float[][] expected = new AimV2ReferenceModel(v, config.TextConfig.HiddenSize, ReferenceWeights.FromTensorSource(source)).Forward(patches, grids);
        using var vision = new OnnxVisionHarness(model);
        double diff = MaxDiff(expected, vision.Encode(patches, grids));
        output.WriteLine($"{interpolation}, positions {positions}, biases {qkvBias}/{useBias}, rope off {disableRope}: max abs diff {diff:G3}");
        Assert.True(diff <= 1e-4, $"variant features differ from the reference by {diff:G3} (> 1e-4).");
    }

    private static AimV2ReferenceModel Reference()
    {
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        return new AimV2ReferenceModel(config.VisionConfig!, config.TextConfig.HiddenSize, ReferenceWeights.FromTensorSource(source));
    }

    private static float[] Patches(IReadOnlyList<(int Rows, int Cols)> grids, int seed)
    {
        var random = new Random(seed);
        int n = grids.Sum(g => g.Rows * g.Cols);
        var values = new float[n * 3 * 14 * 14];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 4) - 2);
        }

        return values;
    }

    private static double MaxDiff(float[][] expected, float[] actual)
    {
        int h = expected[0].Length;
        Assert.Equal(expected.Length * h, actual.Length);
        double worst = 0;
        for (int r = 0; r < expected.Length; r++)
        {
            for (int i = 0; i < h; i++)
            {
                worst = Math.Max(worst, Math.Abs(expected[r][i] - actual[(r * h) + i]));
            }
        }

        return worst;
    }

    private static double Rms(float[][] rows) => Math.Sqrt(rows.SelectMany(r => r).Average(v => (double)v * v));

    private sealed class Progress(Action<ModelConversionProgress> report) : IProgress<ModelConversionProgress>
    {
        public void Report(ModelConversionProgress value) => report(value);
    }
}
