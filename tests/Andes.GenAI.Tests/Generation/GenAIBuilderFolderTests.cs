using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;

namespace Andes.GenAI.Tests.Generation;

/// <summary>
/// Folders in ONNX Runtime GenAI's model-builder layout: the tiny checkpoint converted to a token-ids decoder with
/// position ids, its <c>genai_config.json</c> then rewritten the way that builder writes one (its model type, no
/// <c>search</c> section, one eos id, no <c>num_attention_heads</c> or <c>hidden_size</c>, input names left to their
/// defaults, run options and session config entries). They load with ONNX Runtime GenAI's defaults and decode like the
/// default Andes folder.
/// </summary>
public sealed class GenAIBuilderFolderTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    public static TheoryData<string> Variants => ["combined+int64", "separate+int32", "combined+int64+named-positions", "separate+int32+named-positions"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void BuilderFolderLoadsWithTheDefaultsAndDecodesLikeAndes(string variant)
    {
        bool combined = variant.StartsWith("combined", StringComparison.Ordinal);
        bool int32 = variant.Contains("int32", StringComparison.Ordinal);
        using TemporaryDirectory temp = ConvertToBuilderFolder(combined, int32, namePositions: variant.Contains("named-positions", StringComparison.Ordinal));

        using AndesModel model = AndesModel.Load(temp.Path);
        Assert.Equal("position_ids", model.Signature.PositionIds);
        Assert.Equal(int32, model.Signature.Int32Positions);
        Assert.Equal(int32, model.Signature.Int32Mask);
        Assert.Equal(combined, model.Signature.CombinedKeyValues);
        Assert.False(model.Signature.SharesPastPresentBuffer); // no search section: past_present_share_buffer is false
        Assert.Equal(512, model.Config.Search.MaxLength);
        Assert.Equal([151645], model.Config.Model.EosTokenId);
        Assert.Equal(0, model.Config.Model.Decoder.NumAttentionHeads);
        AssertSameLogitsAndTokens(model);
    }

    [Fact]
    public void SeparateKeyValueShapeComesFromTheGraphWhenTheConfigLeavesItOut()
    {
        using TemporaryDirectory temp = ConvertToBuilderFolder(combined: false, int32: false, namePositions: false, "num_hidden_layers", "num_key_value_heads", "head_size");

        using AndesModel model = AndesModel.Load(temp.Path);
        Assert.Equal(0, model.Config.Model.Decoder.NumHiddenLayers);
        Assert.Equal(fixture.Model.Signature.Layers, model.Signature.Layers);
        Assert.Equal(fixture.Model.Signature.KvHeads, model.Signature.KvHeads);
        Assert.Equal(fixture.Model.Signature.HeadSize, model.Signature.HeadSize);
        AssertSameLogitsAndTokens(model);
    }

    [Fact]
    public void CombinedKeyValuesWithoutHeadSizeIsAnErrorNamingIt()
    {
        // ONNX Runtime GenAI's combined cache takes its shape from the config only, so there is nothing to derive.
        using TemporaryDirectory temp = ConvertToBuilderFolder(combined: true, int32: false, namePositions: false, "head_size");

        var ex = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal("model.decoder.head_size", ex.Field);
        Assert.Contains(Path.Combine(temp.Path, GenAIConfig.FileName), ex.Message);
    }

    private void AssertSameLogitsAndTokens(AndesModel model)
    {
        var options = new GenerationOptions { MaxNewTokens = 6 };
        using var expected = new Generator(fixture.Model, options);
        using var actual = new Generator(model, options);
        expected.AppendTokens(Prompt);
        actual.AppendTokens(Prompt);
        double worst = 0;
        while (!expected.IsDone)
        {
            worst = Math.Max(worst, LogitAssert.MaxAbsDiff(expected.GetLogits(), actual.GetLogits()));
            Assert.Equal(expected.GenerateNextToken(), actual.GenerateNextToken());
        }

        Assert.True(actual.IsDone);
        Assert.True(worst <= 1e-4, $"logits differ by {worst:G3}");
    }

    /// <summary>Converts the tiny checkpoint and rewrites its config as ONNX Runtime GenAI's builder would, leaving out <paramref name="omit"/> from the decoder section.</summary>
    private static TemporaryDirectory ConvertToBuilderFolder(bool combined, bool int32, bool namePositions, params string[] omit)
    {
        TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        try
        {
            var layout = new DecoderLayout { TokenIdsInput = true, CombinedKeyValues = combined, PositionIds = true, Int32Inputs = int32, StandardAttention = combined };
            ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, new ModelConversionOptions { Precision = WeightPrecision.Float32, ContextLength = 512, Layout = layout });
            GenAIConfig converted = GenAIConfig.Load(temp.Path);
            GenAIDecoderConfig d = converted.Model.Decoder;

            // Only what differs from ONNX Runtime GenAI's defaults is named, as its builder does.
            var inputs = new JsonObject();
            var outputs = new JsonObject();
            if (namePositions)
            {
                inputs["position_ids"] = "position_ids";
            }

            if (combined)
            {
                inputs["past_names"] = d.Inputs.PastNames;
                outputs["present_names"] = d.Outputs.PresentNames;
            }

            var decoder = new JsonObject
            {
                ["session_options"] = new JsonObject
                {
                    ["log_id"] = "onnxruntime-genai",
                    ["session.use_device_allocator_for_initializers"] = "0",
                    ["provider_options"] = new JsonArray(),
                },
                ["run_options"] = new JsonObject { ["memory.enable_memory_arena_shrinkage"] = string.Empty },
                ["filename"] = d.Filename,
                ["num_key_value_heads"] = d.NumKeyValueHeads,
                ["head_size"] = d.HeadSize,
                ["num_hidden_layers"] = d.NumHiddenLayers,
                ["inputs"] = inputs,
                ["outputs"] = outputs,
            };
            foreach (string field in omit)
            {
                Assert.True(decoder.Remove(field), field);
            }

            var root = new JsonObject
            {
                ["model"] = new JsonObject
                {
                    ["type"] = combined ? "gpt2" : "qwen3",
                    ["pad_token_id"] = converted.Model.PadTokenId,
                    ["bos_token_id"] = converted.Model.BosTokenId,
                    ["eos_token_id"] = 151645,
                    ["vocab_size"] = converted.Model.VocabSize,
                    ["context_length"] = 512,
                    ["decoder"] = decoder,
                },
            };
            File.WriteAllText(Path.Combine(temp.Path, GenAIConfig.FileName), root.ToJsonString());
            return temp;
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }
}
