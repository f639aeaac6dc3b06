using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Onnx;
using Andes.Testing.Reference;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Architectures;

/// <summary>A tiny SigLIP2 (AndesVL-0.6B layout) vision graph against the loop-based reference.</summary>
public sealed class SigLip2VisionParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(WeightPrecision.Float32, 1e-4, null, null)]
    [InlineData(WeightPrecision.Int4, 1e-3, null, null)]
    [InlineData(WeightPrecision.Float32, 1e-4, "gelu", 1e-3)] // config variants: exact GELU, another LayerNorm epsilon
    public void FeaturesOfTwoImagesMatchTheReference(WeightPrecision precision, double tolerance, string? activation, double? layerNormEps)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        AndesVLConfig config = TinySigLip2();
        if (activation is not null)
        {
            (config.VisionConfig!.HiddenAct, config.VisionConfig.LayerNormEps) = (activation, layerNormEps);
        }

        string checkpoint = Path.Combine(temp.Path, "checkpoint"), model = Path.Combine(temp.Path, "model");
        CheckpointGenerator.Generate(checkpoint, config, new CheckpointGeneratorOptions { Seed = 21 });
        var options = new ModelConversionOptions { Precision = precision, AccuracyLevel = 0, BlockSize = 32, EmbeddingPrecision = WeightPrecision.Float32, ContextLength = 256 };
        ModelConversionProgress last = default;
        ModelConversionResult result = ModelConverter.Convert(checkpoint, model, options, new Progress(p => last = p));
        Assert.Equal(last.TensorsTotal, last.TensorsDone); // the progress total counts the vision tensors right
        Assert.Equal(["embedding", "vision", "decoder", "config"], result.StageElapsed.Select(s => s.Key));
        Assert.Equal(16, GenAIConfig.Load(model).Model.Vision!.PatchSize);

        (int, int)[] grids = [(4, 6), (2, 8)];
        var random = new Random(8);
        float[] patches = Enumerable.Range(0, 40 * 3 * 16 * 16).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(checkpoint);
        Func<string, float[]?> weights = ReferenceWeights.FromTensorSource(source);
        if (precision == WeightPrecision.Int4)
        {
            var q = new QuantizationOptions { Bits = 4, BlockSize = 32, Symmetric = true, AccuracyLevel = 0 };
            weights = ReferenceWeights.WithQuantizedMatrices(weights, QuantizedLinears(config.VisionConfig!), q);
        }

        float[][] expected = new SigLip2ReferenceModel(config.VisionConfig!, config.TextConfig.HiddenSize, weights).Forward(patches, grids);
        using var vision = new OnnxVisionHarness(model);
        float[] actual = vision.Encode(patches, grids);
        int h = config.TextConfig.HiddenSize;
        Assert.Equal(10 * h, actual.Length);
        double worst = 0;
        for (int r = 0; r < expected.Length; r++)
        {
            for (int j = 0; j < h; j++)
            {
                worst = Math.Max(worst, Math.Abs(expected[r][j] - actual[(r * h) + j]));
            }
        }

        output.WriteLine($"SigLIP2 {precision}: max abs diff {worst:G3}, rms {Math.Sqrt(actual.Average(v => (double)v * v)):G3}");
        Assert.True(worst <= tolerance, $"SigLIP2 {precision} features differ from the reference by {worst:G3} (> {tolerance}).");
    }

    [Fact]
    public void The0_6bShapeHasSigLip2TensorsAndAMatchingProcessorConfig()
    {
        IReadOnlyList<CheckpointTensorSpec> specs = CheckpointGenerator.GetTensorSpecs(CheckpointShape.Andes0_6B.CreateConfig());
        Assert.Contains(specs, s => s.Name == "vision_encoder.vision_model.embeddings.proj.weight" && s.Shape.SequenceEqual([768L, 768]));
        Assert.Contains(specs, s => s.Name == "vision_encoder.vision_model.embeddings.pos_embed.weight" && s.Shape.SequenceEqual([256L, 768]));
        Assert.Contains(specs, s => s.Name == "vision_encoder.vision_model.encoder.layers.11.self_attn.out_proj.bias");
        Assert.Contains(specs, s => s.Name == "mlp.2.weight" && s.Shape.SequenceEqual([1024L, 3072]));
        Assert.DoesNotContain(specs, s => s.Name.StartsWith("vision_encoder.trunk.", StringComparison.Ordinal));

        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        CheckpointGenerator.Generate(temp.Path, TinySigLip2(), new CheckpointGeneratorOptions());
        string processor = File.ReadAllText(Path.Combine(temp.Path, "preprocessor_config.json"));
        Assert.Contains("\"patch_size\": 16", processor, StringComparison.Ordinal);
        Assert.Contains("0.5", processor, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, int> QuantizedLinears(AndesVisionConfig v)
    {
        int hv = v.HiddenSize, merged = 4 * hv;
        var map = new Dictionary<string, int> { ["mlp.0.weight"] = merged, ["mlp.2.weight"] = merged };
        for (int i = 0; i < v.NumHiddenLayers; i++)
        {
            string l = $"vision_encoder.vision_model.encoder.layers.{i}.";
            foreach (string p in new[] { "q", "k", "v", "out" })
            {
                map[$"{l}self_attn.{p}_proj.weight"] = hv;
            }

            map[l + "mlp.fc1.weight"] = hv;
            map[l + "mlp.fc2.weight"] = v.IntermediateSize;
        }

        return map;
    }

    /// <summary>Tiny Qwen3 (4096-token vocabulary) with a SigLIP2 tower: hidden 64, 2 layers, 2 heads, patch 16, a 4 x 4 position table.</summary>
    private static AndesVLConfig TinySigLip2()
    {
        AndesVLConfig config = CheckpointShape.Andes0_6B.CreateConfig();
        AndesVLConfig tiny = CheckpointShape.Tiny.CreateConfig();
        tiny.ModelType = config.ModelType;
        tiny.TextConfig.VocabSize = 4096;
        AndesVisionConfig v = config.VisionConfig!;
        (v.HiddenSize, v.IntermediateSize, v.NumHiddenLayers, v.NumAttentionHeads, v.ImageSize) = (64, 96, 2, 2, 64);
        tiny.VisionConfig = v;
        return tiny;
    }

    private sealed class Progress(Action<ModelConversionProgress> report) : IProgress<ModelConversionProgress>
    {
        public void Report(ModelConversionProgress value) => report(value);
    }
}
