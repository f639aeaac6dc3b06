using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.Checkpoints;

public class CheckpointShapeTests
{
    [Theory]
    [InlineData("tiny", "tiny")]
    [InlineData("0.6b", "0.6b")]
    [InlineData("0.6B", "0.6b")]
    [InlineData(" 1B ", "1b")]
    [InlineData("2b", "2b")]
    [InlineData("4b", "4b")]
    public void Names_parse_case_insensitively(string text, string name)
    {
        Assert.Equal(name, CheckpointShape.Parse(text).Name);
        Assert.True(CheckpointShape.TryParse(text, out CheckpointShape? shape));
        Assert.Equal(name, shape!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("3b")]
    [InlineData("1.7b")]
    public void Unknown_names_list_the_known_ones(string text)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => CheckpointShape.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
        Assert.Contains("tiny, 0.6b, 1b, 2b, 4b", ex.Message);
        Assert.False(CheckpointShape.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0.6b", "andesvl-siglip2-qwen3", 1024, 3072, 28, 16, 8)]
    [InlineData("1b", "andesvl-aimv2-qwen3", 1024, 3072, 28, 16, 8)]
    [InlineData("2b", "andesvl-aimv2-qwen3", 2048, 6144, 28, 16, 8)]
    [InlineData("4b", "andesvl-aimv2-qwen3", 2560, 9728, 36, 32, 8)]
    public void Published_shapes_use_the_Qwen3_dimensions(string name, string modelType, int hidden, int intermediate, int layers, int heads, int kvHeads)
    {
        AndesVLConfig config = CheckpointShape.Parse(name).CreateConfig();
        Assert.Equal(modelType, config.ModelType);
        Assert.Equal(modelType.Contains("siglip"), config.IsSigLip2);
        Qwen3TextConfig t = config.TextConfig;
        Assert.Equal((hidden, intermediate, layers, heads, kvHeads, 128), (t.HiddenSize, t.IntermediateSize, t.NumHiddenLayers, t.NumAttentionHeads, t.NumKeyValueHeads, t.HeadDim));
        Assert.Equal((151936, 40960, true, 1e6, 1e-6), (t.VocabSize, t.MaxPositionEmbeddings, t.TieWordEmbeddings, t.RopeTheta, t.RmsNormEps));
        if (!config.IsSigLip2)
        {
            AndesVisionConfig v = config.VisionConfig!;
            Assert.Equal((1024, 2816, 24, 8, 14, 448), (v.HiddenSize, v.IntermediateSize, v.NumHiddenLayers, v.NumAttentionHeads, v.PatchSize, v.ImageSize));
        }
    }

    [Theory]
    [InlineData("1b", 0.43e9, 0.45e9)] // Qwen3-0.6B: 0.44B non-embedding parameters
    [InlineData("2b", 1.35e9, 1.45e9)] // Qwen3-1.7B: 1.4B
    [InlineData("4b", 3.55e9, 3.65e9)] // Qwen3-4B: 3.6B
    public void Language_model_parameter_counts_match_Qwen3(string name, double low, double high)
    {
        IReadOnlyList<CheckpointTensorSpec> specs = CheckpointGenerator.GetTensorSpecs(CheckpointShape.Parse(name).CreateConfig())
            .Where(s => s.Name.StartsWith("language_model.", StringComparison.Ordinal))
            .ToList();
        long nonEmbedding = specs.Where(s => !s.Name.Contains("embed_tokens", StringComparison.Ordinal)).Sum(s => s.ElementCount);
        Assert.InRange(nonEmbedding, low, high);
    }

    [Theory]
    [InlineData("0.6b", 0.695e9, 0.086e9)] // SigLIP2-Base: 86M (12 blocks of 7.1M + patch and position tables)
    [InlineData("1b", 0.927e9, 0.309e9)] // AIMv2-Large: 309M (24 blocks of 12.9M + patch and position tables)
    [InlineData("2b", 2.055e9, 0.309e9)]
    [InlineData("4b", 4.360e9, 0.309e9)]
    public void Total_and_vision_parameter_counts_match_the_published_sizes(string name, double total, double tower)
    {
        IReadOnlyList<CheckpointTensorSpec> specs = CheckpointGenerator.GetTensorSpecs(CheckpointShape.Parse(name).CreateConfig());
        long all = specs.Sum(s => s.ElementCount);
        long vision = specs.Where(s => s.Name.StartsWith("vision_encoder.", StringComparison.Ordinal)).Sum(s => s.ElementCount);
        long connector = specs.Where(s => s.Name.StartsWith("mlp.", StringComparison.Ordinal)).Sum(s => s.ElementCount);
        Assert.Equal(all, specs.Where(s => s.Name.StartsWith("language_model.", StringComparison.Ordinal)).Sum(s => s.ElementCount) + vision + connector);
        Assert.InRange(all, total * 0.99, total * 1.01);
        Assert.InRange(vision, tower * 0.98, tower * 1.02);
    }

    [Fact]
    public void Each_call_creates_an_independent_config()
    {
        AndesVLConfig a = CheckpointShape.Tiny.CreateConfig();
        a.TextConfig.NumHiddenLayers = 9;
        Assert.Equal(2, CheckpointShape.Tiny.CreateConfig().TextConfig.NumHiddenLayers);
        Assert.Equal(5, CheckpointShape.All.Count);
    }
}
