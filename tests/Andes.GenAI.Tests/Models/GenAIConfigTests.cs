using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Models;

public sealed class GenAIConfigTests
{
    // ONNX Runtime GenAI's tiny gpt2 test model's genai_config.json, verbatim.
    private const string Gpt2BuilderConfig = """
        { "model": { "type": "gpt2", "pad_token_id": 98, "bos_token_id": 98, "eos_token_id": 98, "vocab_size": 1000, "context_length": 512,
            "decoder": { "session_options": { "session.use_device_allocator_for_initializers": "0", "provider_options": [] },
              "run_options": { "memory.enable_memory_arena_shrinkage": "" },
              "filename" : "past.onnx", "num_key_value_heads": 4, "head_size": 8, "num_hidden_layers": 5,
              "inputs" : { "past_names" : "past_%d" }, "outputs" : { "present_names" : "present_%d" } } } }
        """;

    private static string ConfigText => File.ReadAllText(Path.Combine(TestModels.TinyFp32Model, GenAIConfig.FileName));

    [Fact]
    public void ReadsTheConvertedConfig()
    {
        GenAIConfig config = GenAIConfig.Load(TestModels.TinyFp32Model);
        Assert.Equal(2, config.Model.Decoder.NumHiddenLayers);
        Assert.Equal([151645, 151643], config.Model.EosTokenId);
    }

    [Fact]
    public void UnknownFieldIsAnErrorNamingFieldAndFile()
    {
        string json = ConfigText.Replace("\"head_size\":", "\"head_sise\": 3, \"head_size\":", StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "bad/genai_config.json"));
        Assert.Equal("model.decoder.head_sise", ex.Field);
        Assert.Contains("bad/genai_config.json", ex.Message);
        Assert.Contains("head_sise", ex.Message);
    }

    [Fact]
    public void InvalidValueIsAnErrorNamingTheField()
    {
        string json = ConfigText.Replace("\"context_length\": 4096", "\"context_length\": -1", StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "genai_config.json"));
        Assert.Equal("model.context_length", ex.Field);
        Assert.Contains("-1", ex.Message);

        string wrongType = ConfigText.Replace("\"context_length\": 4096", "\"context_length\": \"long\"", StringComparison.Ordinal);
        var typeError = Assert.Throws<ModelConfigurationException>(() => Parse(wrongType, "genai_config.json"));
        Assert.Equal("model.context_length", typeError.Field);
    }

    [Fact]
    public void EosTokenIdAcceptsAnIntOrAnArray()
    {
        string json = ConfigText.Replace("\"eos_token_id\": [\n      151645,\n      151643\n    ]", "\"eos_token_id\": 7", StringComparison.Ordinal);
        Assert.Equal([7], Parse(json, "x").Model.EosTokenId);
    }

    [Fact]
    public void MissingFolderIsAClearError()
    {
        var ex = Assert.Throws<ModelConfigurationException>(() => GenAIConfig.Load("/no/such/model"));
        Assert.Contains("/no/such/model", ex.Message);
    }

    [Fact]
    public void GraphInputNameMismatchIsNamedAtLoad()
    {
        using TemporaryDirectory temp = CopyModel();
        string path = Path.Combine(temp.Path, GenAIConfig.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"past_key_values.%d.key\"", "\"past.%d.key\"", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal("model.decoder.inputs.past_key_names", ex.Field);
        Assert.Contains("past.0.key", ex.Message);
    }

    [Fact]
    public void MissingExecutionProviderIsAClearErrorUnlessFallbackIsAllowed()
    {
        var options = new AndesModelOptions { ExecutionProviders = [ExecutionProvider.Qnn()] };
        var ex = Assert.Throws<ExecutionProviderNotAvailableException>(() => AndesModel.Load(TestModels.TinyFp32Model, options));
        Assert.Equal("qnn", ex.Provider);
        Assert.Contains("CPUExecutionProvider", ex.AvailableProviders);
        Assert.Contains("Microsoft.ML.OnnxRuntime.QNN", ex.Message);

        options.AllowCpuFallback = true;
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, options);
        Assert.Equal(4096, model.ContextLength);
    }

    [Fact]
    public void ProvidersInTheConfigAreHonoured()
    {
        using TemporaryDirectory temp = CopyModel();
        string path = Path.Combine(temp.Path, GenAIConfig.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"provider_options\": []", "\"provider_options\": [ { \"qnn\": { \"backend_path\": \"QnnHtp.dll\" } } ]", StringComparison.Ordinal));
        Assert.Throws<ExecutionProviderNotAvailableException>(() => AndesModel.Load(temp.Path));
    }

    [Fact]
    public void OnnxRuntimeGenAIBuilderConfigTakesItsDefaults()
    {
        GenAIConfig config = Parse(Gpt2BuilderConfig, "gpt2/genai_config.json");
        Assert.Equal("gpt2", config.Model.Type);
        Assert.Equal(512, config.Search.MaxLength);
        Assert.Equal([98], config.Model.EosTokenId);
        Assert.Equal((0, 0), (config.Model.Decoder.NumAttentionHeads, config.Model.Decoder.HiddenSize));
        Assert.Equal((false, 50, 0f, 1f, 1f, 1), (config.Search.DoSample, config.Search.TopK, config.Search.TopP, config.Search.Temperature, config.Search.RepetitionPenalty, config.Search.NumBeams));
        Assert.Equal((false, -1L), (config.Search.PastPresentShareBuffer, config.Search.RandomSeed));
        Assert.Equal(string.Empty, config.Model.Decoder.RunOptions!["memory.enable_memory_arena_shrinkage"]);
        Assert.Equal("0", config.Model.Decoder.SessionOptions!.ConfigEntries!["session.use_device_allocator_for_initializers"].GetString());

        string noEos = Gpt2BuilderConfig.Replace("\"pad_token_id\": 98", "\"pad_token_id\": 7", StringComparison.Ordinal)
            .Replace("\"eos_token_id\": 98,", string.Empty, StringComparison.Ordinal);
        Assert.Equal([7], Parse(noEos, "x").Model.EosTokenId);
    }

    [Fact]
    public void MissingContextLengthIsAnErrorNamingIt()
    {
        string json = Gpt2BuilderConfig.Replace("\"context_length\": 512,", string.Empty, StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "gpt2/genai_config.json"));
        Assert.Equal("model.context_length", ex.Field);
        Assert.Contains("gpt2/genai_config.json", ex.Message);
        Assert.Contains("context_length", ex.Message);
    }

    [Theory]
    [InlineData("model.decoder.sliding_window")]
    [InlineData("model.decoder.pipeline")]
    [InlineData("search.num_beams")]
    public void FieldAndesCannotHonourIsNamedAsUnsupported(string field)
    {
        string json = field switch
        {
            "model.decoder.sliding_window" => Gpt2BuilderConfig.Replace("\"decoder\": {", "\"decoder\": { \"sliding_window\": { \"window_size\": 128 },", StringComparison.Ordinal),
            "model.decoder.pipeline" => Gpt2BuilderConfig.Replace("\"decoder\": {", "\"decoder\": { \"pipeline\": [ { \"embeddings\": { \"filename\": \"e.onnx\" } } ],", StringComparison.Ordinal),
            _ => WithSearch(Gpt2BuilderConfig, "\"num_beams\": 4"),
        };
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "gpt2/genai_config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains("gpt2/genai_config.json", ex.Message);
        Assert.Contains("does not support", ex.Message);
    }

    [Fact]
    public void OtherOnnxRuntimeGenAIFieldsAreRead()
    {
        string json = Gpt2BuilderConfig.Replace(
            "\"vocab_size\": 1000,",
            "\"vocab_size\": 1000, \"sep_token_id\": 1, \"decoder_start_token_id\": 2, \"bot_token_id\": 151657, \"eot_token_id\": 151658, \"bor_token_id\": 3, \"eor_token_id\": 4, " +
            "\"video_token_id\": 5, \"audio_token_id\": 6, \"boa_token_id\": 8, \"vision_end_token_id\": 9,",
            StringComparison.Ordinal);
        json = WithSearch(json, "\"batch_size\": 1, \"max_length\": 64");
        GenAIConfig config = Parse(json, "x");
        Assert.Equal((151657, 151658), (config.Model.BotTokenId, config.Model.EotTokenId));
        Assert.Equal(9, config.Model.VisionEndTokenId);
        Assert.Equal((1, 64), (config.Search.BatchSize, config.Search.MaxLength));

        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json.Replace("\"boa_token_id\"", "\"boa_token\"", StringComparison.Ordinal), "x"));
        Assert.Equal("model.boa_token", ex.Field);
    }

    [Fact]
    public void HiddenSizeComesFromTheGraphsWhenTheConfigLeavesItOut()
    {
        using TemporaryDirectory temp = CopyModel();
        string path = Path.Combine(temp.Path, GenAIConfig.FileName);
        File.WriteAllText(path, File.ReadAllText(path)
            .Replace("\"hidden_size\": 64,", string.Empty, StringComparison.Ordinal)
            .Replace("\"num_attention_heads\": 4,", string.Empty, StringComparison.Ordinal));
        using AndesModel model = AndesModel.Load(temp.Path);
        Assert.Equal(0, model.Config.Model.Decoder.HiddenSize);
        Assert.Equal(64, model.Signature.HiddenSize);
        using ProcessedImage image = model.ImageProcessor!.Process(new byte[3 * 56 * 56], 56, 56, ImagePixelFormat.Rgb24);
        Assert.Equal(64, model.EncodeImage(image).HiddenSize);
    }

    /// <summary>Issue 14: an explicit null where the schema has an object or a name is an error naming the field, not a NullReferenceException later.</summary>
    [Theory]
    [InlineData("model.decoder.inputs", "null", "model.decoder.inputs")]
    [InlineData("model.decoder.outputs", "null", "model.decoder.outputs")]
    [InlineData("model.decoder.outputs.logits", "null", "model.decoder.outputs.logits")]
    [InlineData("model.embedding.inputs", "null", "model.embedding.inputs")]
    [InlineData("model.embedding.outputs.inputs_embeds", "null", "model.embedding.outputs.inputs_embeds")]
    [InlineData("model.vision.outputs", "null", "model.vision.outputs")]
    [InlineData("model.vision.inputs.pixel_values", "null", "model.vision.inputs.pixel_values")]
    [InlineData("model.type", "null", "model.type")]
    [InlineData("model.decoder.run_options", "{\"key\": null}", "model.decoder.run_options.key")]
    [InlineData("model.decoder.session_options", "{\"provider_options\": [null]}", "model.decoder.session_options.provider_options[0]")]
    [InlineData("model.vision.session_options", "{\"provider_options\": [{\"qnn\": null}]}", "model.vision.session_options.provider_options[0].qnn")]
    [InlineData("model.embedding.session_options", "{\"provider_options\": [{}, {\"qnn\": {\"backend_path\": null}}]}", "model.embedding.session_options.provider_options[1].qnn.backend_path")]
    public void NullWhereTheSchemaHasAValueIsAnErrorNamingTheField(string path, string value, string field)
    {
        System.Text.Json.Nodes.JsonNode root = System.Text.Json.Nodes.JsonNode.Parse(ConfigText)!;
        string[] parts = path.Split('.');
        System.Text.Json.Nodes.JsonNode parent = root;
        foreach (string part in parts[..^1])
        {
            parent = parent[part] ??= new System.Text.Json.Nodes.JsonObject();
        }

        parent[parts[^1]] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(root.ToJsonString(), "m/genai_config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("m/genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    private static string WithSearch(string json, string fields) => json[..json.LastIndexOf('}')] + $", \"search\": {{ {fields} }} }}";

    private static GenAIConfig Parse(string json, string name)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return GenAIConfig.Parse(stream, name);
    }

    private static TemporaryDirectory CopyModel()
    {
        var temp = TestModels.CreateTemporaryDirectory();
        foreach (string file in Directory.GetFiles(TestModels.TinyFp32Model))
        {
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        }

        return temp;
    }
}
