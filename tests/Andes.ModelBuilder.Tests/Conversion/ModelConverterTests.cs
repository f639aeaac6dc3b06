using System.Text.Json.Nodes;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Onnx;
using Andes.Testing.Reference;

namespace Andes.ModelBuilder.Tests.Conversion;

public sealed class ModelConverterTests
{
    /// <summary>The tiny checkpoint's tensors: 25 of the language model, 19 of the AIMv2 tower, 4 of the connector.</summary>
    private const int TinyTensorCount = 25 + 19 + 4;

    [Fact]
    public void ModelFolderIsComplete()
    {
        string dir = TestModels.TinyFp32Model;
        foreach (string file in new[] { "genai_config.json", "tokenizer.json", "tokenizer_config.json", "decoder.onnx", "decoder.onnx.data", "embedding.onnx", "embedding.onnx.data", ModelConverter.ConversionLogFileName })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is missing from the model folder.");
        }

        GenAIConfig config = GenAIConfig.Load(dir);
        Assert.Equal("phi3v", config.Model.Type); // the ONNX Runtime GenAI contract the graphs follow (see ModelConverter.GenAIModelType)
        Assert.Null(config.Model.VisionEndTokenId); // not in ONNX Runtime GenAI's schema: in andes_config.json
        AndesFolderConfig folder = AndesFolderConfig.TryLoad(dir)!;
        Assert.Equal(("andesvl", 151653), (folder.Architecture, folder.VisionEndTokenId));
        Assert.Equal(4096, config.Model.ContextLength);
        Assert.Equal(151936, config.Model.VocabSize);
        Assert.Equal([151645, 151643], config.Model.EosTokenId);
        Assert.Equal(151643, config.Model.PadTokenId);
        Assert.Equal(151654, config.Model.ImageTokenId);
        Assert.Equal("decoder.onnx", config.Model.Decoder.Filename);
        Assert.Equal(2, config.Model.Decoder.NumHiddenLayers);
        Assert.Equal(32, config.Model.Decoder.HeadSize);
        Assert.Equal("past_key_values.%d.key", config.Model.Decoder.Inputs.PastKeyNames);
        Assert.Equal("inputs_embeds", config.Model.Decoder.Inputs.InputsEmbeds);

        // Generation defaults come from the checkpoint's generation_config.json.
        Assert.True(config.Search.DoSample);
        Assert.Equal(0.6f, config.Search.Temperature);
        Assert.Equal(20, config.Search.TopK);
        Assert.Equal(0.95f, config.Search.TopP);
        Assert.True(config.Search.PastPresentShareBuffer);

        // AndesVL's names for the two vision tokens.
        JsonNode tokenizer = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer.json")))!;
        var added = tokenizer["added_tokens"]!.AsArray().ToDictionary(t => (int)t!["id"]!, t => (string)t!["content"]!);
        Assert.Equal("<img>", added[151652]);
        Assert.Equal("</img>", added[151653]);
        Assert.Equal("<|vision_pad|>", added[151654]);
    }

    [Fact]
    public void ConversionLogReportsQuantisationErrorPerTensor()
    {
        JsonNode log = JsonNode.Parse(File.ReadAllText(Path.Combine(TestModels.TinyInt4Model, ModelConverter.ConversionLogFileName)))!;
        JsonArray tensors = log["tensors"]!.AsArray();
        Assert.Equal(TinyTensorCount, tensors.Count);
        JsonNode q = tensors.Single(t => (string)t!["name"]! == "language_model.model.layers.0.self_attn.q_proj.weight")!;
        Assert.Equal("Int4", (string)q["precision"]!);
        double max = (double)q["max_abs_error"]!, mean = (double)q["mean_abs_error"]!;
        // Symmetric int4: |w - w'| <= |scale| / 2 <= absmax / 14 per block; the generated q_proj has std 2/sqrt(64) = 0.25.
        Assert.InRange(mean, 1e-6, max / 2);
        Assert.InRange(max, 1e-5, 0.25 * 4.9 / 14);
        JsonNode norm = tensors.Single(t => (string)t!["name"]! == "language_model.model.norm.weight")!;
        Assert.Equal(0.0, (double)norm["max_abs_error"]!);
        Assert.NotNull(tensors.SingleOrDefault(t => (string)t!["name"]! == "language_model.lm_head.weight"));
    }

    [Theory]
    [InlineData(WeightPrecision.Int4, 128, false)]
    [InlineData(WeightPrecision.Int8, 32, true)]
    [InlineData(WeightPrecision.Int8, 64, false)]
    public void OtherPrecisionsMatchTheReferenceOnTheirDequantisedWeights(WeightPrecision precision, int blockSize, bool symmetric)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        var options = new ModelConversionOptions
        {
            Precision = precision, BlockSize = blockSize, Symmetric = symmetric, AccuracyLevel = 0, EmbeddingPrecision = WeightPrecision.Float32, ContextLength = 512,
        };
        ModelConversionResult result = ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, options);
        Assert.Equal(TinyTensorCount, result.Tensors.Count);
        Assert.All(result.Tensors.Where(t => t.Name.EndsWith("_proj.weight", StringComparison.Ordinal)), t => Assert.Equal(precision, t.Precision));

        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var q = new QuantizationOptions { Bits = precision == WeightPrecision.Int8 ? 8 : 4, BlockSize = blockSize, Symmetric = symmetric, AccuracyLevel = 0 };
        double diff = ReferenceParity.MaxLogitDifference(ReferenceParity.Dequantised(source, config.TextConfig, q), temp.Path, promptLength: 16, decodeSteps: 2);
        Assert.True(diff <= 1e-3, $"{precision} block {blockSize} logits differ from the dequantised reference by {diff:G3}.");
    }

    [Fact]
    public void DefaultInt4StoresTheEmbeddingAsFloat16()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        ModelConversionResult result = ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, new ModelConversionOptions { ContextLength = 256 });
        TensorConversionRecord embedding = result.Tensors.Single(t => t.Name == "language_model.model.embed_tokens.weight");
        Assert.Equal(WeightPrecision.Float16, embedding.Precision);
        Assert.Equal(151936L * 64 * 2, embedding.BytesWritten);

        using var harness = new OnnxDecoderHarness(temp.Path);
        using var exact = new OnnxDecoderHarness(TestModels.TinyFp32Model);
        int[] ids = [5, 151644, 77];
        Assert.True(LogitAssert.MaxAbsDiff(exact.Embed(ids), harness.Embed(ids)) < 1e-3);
    }

    [Fact]
    public void MissingTensorIsNamedBeforeAnythingIsWritten()
    {
        using TemporaryDirectory checkpoint = TestModels.CopyTinyCheckpoint("language_model.model.layers.1.mlp.up_proj.weight");
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        var ex = Assert.Throws<CheckpointException>(() => ModelConverter.Convert(checkpoint.Path, Path.Combine(output.Path, "model")));
        Assert.Contains("language_model.model.layers.1.mlp.up_proj.weight", ex.Message);
        Assert.Equal("language_model.model.layers.1.mlp.up_proj.weight", ex.TensorName);
        Assert.False(Directory.Exists(Path.Combine(output.Path, "model")));
    }

    [Fact]
    public void ShapeMismatchNamesTensorFileAndShapes()
    {
        using TemporaryDirectory checkpoint = TestModels.CopyTinyCheckpoint(null);
        AndesVLConfig config = AndesVLConfig.Load(checkpoint.Path);
        config.TextConfig.IntermediateSize = 96; // the weights have 128
        config.Save(checkpoint.Path);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        var ex = Assert.Throws<CheckpointException>(() => ModelConverter.Convert(checkpoint.Path, output.Path));
        Assert.Contains("mlp.gate_proj.weight", ex.Message);
        Assert.Contains("[128, 64]", ex.Message);
        Assert.Contains("[96, 64]", ex.Message);
        Assert.Contains("model.safetensors", ex.Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(96)]
    public void InvalidOptionsAreRejected(int blockSize)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelConverter.Convert(TestModels.TinyCheckpoint, "unused", new ModelConversionOptions { BlockSize = blockSize }));
        Assert.Contains("BlockSize", ex.Message);
    }

    [Fact]
    public void CancellationStopsBetweenTensors()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        using var cts = new CancellationTokenSource();
        var progress = new CallbackProgress(p =>
        {
            if (p.TensorsDone == 3)
            {
                cts.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, TestModels.Fp32Options, progress, cts.Token));
    }

    [Fact]
    public void ProgressCountsWeightsAndMovesWithinALargeQuantisedTensor()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        var reports = new List<ModelConversionProgress>();
        ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, TestModels.Int4Options, new CallbackProgress(reports.Add));

        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.Equal(reports[^1].TensorsTotal, reports[^1].TensorsDone);
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Fraction >= reports[i - 1].Fraction, $"report {i} went back: {reports[i - 1]} then {reports[i]}");
        }

        // The tied lm_head (the embedding's size) is quantised a chunk of rows at a time, each chunk reported before
        // the tensor is done: the bar moves during the longest tensor instead of jumping after it.
        Assert.Contains(reports.Zip(reports.Skip(1)), pair => pair.Second.TensorsDone == pair.First.TensorsDone && pair.Second.WeightsDone > pair.First.WeightsDone);
        Assert.True(reports[0].Fraction < 0.5, $"the first report is already at {reports[0].Fraction:P0}");
    }

    private sealed class CallbackProgress(Action<ModelConversionProgress> callback) : IProgress<ModelConversionProgress>
    {
        public void Report(ModelConversionProgress value) => callback(value);
    }
}
