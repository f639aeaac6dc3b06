using Andes.Benchmarking;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;

namespace Andes.Cli.Tests.Benchmarks;

/// <summary>The FLOP count of <c>andes bench-vision</c>, against counts done by hand from the tiny model's shapes.</summary>
public sealed class ModelFlopCounterTests
{
    [Fact]
    public void CountsTheTinyModelAsByHand()
    {
        ModelFlopCounter counter = ModelFlopCounter.Load(TestModels.TinyInt4Model);

        // Tiny AIMv2 tower: hidden 64, intermediate 96, 2 layers, patch 14; position table 4 x 4; connector 256 -> 256 -> 64.
        // One image of 16 patches (4 tokens):
        VisionFlops vision = counter.CountVision(patches: 16, tokens: 4);
        Assert.Equal(2L * 16 * (3 * 14 * 14) * 64, vision.PatchEmbedding); // 1,204,224
        Assert.Equal(2L * 16 * 16 * 64, vision.PositionTable); // 32,768
        long blockWeights = (192 * 64) + (64 * 64) + (96 * 64) + (96 * 64) + (64 * 96); // qkv, proj, fc1, fc3, fc2 = 34,816
        Assert.Equal(2L * 16 * 2 * blockWeights, vision.TrunkLinears); // 2,228,224
        Assert.Equal(2L * 4 * 16 * 16 * 64, vision.Attention); // 2 layers * 4 n^2 d = 131,072
        Assert.Equal(2L * 4 * ((256 * 256) + (64 * 256)), vision.Connector); // 655,360
        Assert.Equal(4_251_648L, vision.Total);

        // Tiny Qwen3: hidden 64, q 4 x 32 = 128, k/v 2 x 32 = 64, intermediate 128, 2 layers, vocabulary 151,936. 30 tokens:
        PrefillFlops prefill = counter.CountPrefill(30);
        long layerWeights = (128 * 64) + (64 * 64) + (64 * 64) + (64 * 128) + (128 * 64) + (128 * 64) + (64 * 128); // q k v o gate up down = 49,152
        Assert.Equal(2L * 30 * 2 * layerWeights, prefill.Linears); // 5,898,240
        Assert.Equal(2L * 2 * 30 * 31 * 128, prefill.Attention); // 2 layers * 2 n (n + 1) d = 476,160
        Assert.Equal(2L * 151_936 * 64, prefill.LmHead); // the last position only: 19,447,808
        Assert.Equal(25_822_208L, prefill.Total);

        Assert.Equal((2, 64, 2, 128), (counter.VisionLayers, counter.VisionAttentionWidth, counter.DecoderLayers, counter.DecoderAttentionWidth));
    }

    [Fact]
    public void DecoderBytesPerTokenCountEveryLanguageModelTensorButTheEmbeddingTable()
    {
        // Tiny fp32: per layer seven linears (49,152 floats) and four norms (64 + 64 + 32 + 32); the final norm; the
        // float32 lm_head (151,936 x 64): 39,290,624 bytes. The embedding table is gathered one row per token, so it is left out.
        long perLayer = (49_152L + 64 + 64 + 32 + 32) * 4;
        long expected = (2 * perLayer) + (64 * 4) + (151_936L * 64 * 4);
        Assert.Equal(expected, ModelFlopCounter.Load(TestModels.TinyFp32Model).DecoderBytesPerToken);
        Assert.True(ModelFlopCounter.Load(TestModels.TinyInt4Model).DecoderBytesPerToken < expected / 4);
        Assert.Equal(0, ModelFlopCounter.FromTensors([("language_model.model.layers.0.self_attn.q_proj.weight", [32, 16])], "shapes only").DecoderBytesPerToken);
    }

    [Fact]
    public void PrecisionDoesNotChangeTheCount()
    {
        ModelFlopCounter int4 = ModelFlopCounter.Load(TestModels.TinyInt4Model), fp32 = ModelFlopCounter.Load(TestModels.TinyFp32Model);
        Assert.Equal(int4.CountVision(2800, 700), fp32.CountVision(2800, 700));
        Assert.Equal(int4.CountPrefill(714), fp32.CountPrefill(714));
    }

    [Fact]
    public void ATiedHeadThatIsNotListedCountsAsTheEmbeddingTable()
    {
        ModelFlopCounter counter = ModelFlopCounter.FromTensors(
            [
                ("language_model.model.embed_tokens.weight", [1000, 16]),
                ("language_model.model.layers.0.self_attn.q_proj.weight", [32, 16]),
                ("language_model.model.layers.0.self_attn.o_proj.weight", [16, 32]),
            ],
            "test");
        PrefillFlops prefill = counter.CountPrefill(3);
        Assert.Equal(2L * 1000 * 16, prefill.LmHead);
        Assert.Equal(2L * 3 * 2 * 32 * 16, prefill.Linears);
        Assert.Equal(2L * 3 * 4 * 32, prefill.Attention);
        Assert.False(counter.HasVision);
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => counter.CountVision(16, 4));
        Assert.Contains("test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadTensorEntryNamesTheFileAndTheField()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, ConversionLog.FileName);
        File.WriteAllText(file, """{"tensors": [{"name": "mlp.0.weight", "shape": [4, 4]}, {"name": "mlp.2.weight", "shape": [4, "x"]}]}""");
        ModelConfigurationException error = Assert.Throws<ModelConfigurationException>(() => ModelFlopCounter.Load(temp.Path));
        Assert.Equal("tensors[1].shape", error.Field);
        Assert.Equal(file, error.FilePath);
        Assert.Contains("mlp.2.weight", error.Message, StringComparison.Ordinal);

        File.WriteAllText(file, "{ not json");
        Assert.Equal(file, Assert.Throws<ModelConfigurationException>(() => ModelFlopCounter.Load(temp.Path)).FilePath);

        File.Delete(file);
        Assert.Contains(ConversionLog.FileName, Assert.Throws<FileNotFoundException>(() => ModelFlopCounter.Load(temp.Path)).Message, StringComparison.Ordinal);
    }
}
