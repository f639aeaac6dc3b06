using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Tests;

public sealed class AndesPromptExecutionSettingsTests
{
    /// <summary>Every key, in the forms execution settings arrive in: CLR values, strings (configuration), JSON, odd casing.</summary>
    public static TheoryData<string> Representations => ["clr", "strings", "json", "casing"];

    internal static PromptExecutionSettings PlainSettings(string representation) => representation switch
    {
        "clr" => new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object>
            {
                ["temperature"] = 0.25,
                ["top_p"] = 0.9,
                ["top_k"] = 40,
                ["max_tokens"] = 64,
                ["stop_sequences"] = new[] { "\n\n", "END" },
                ["seed"] = 42L,
                ["frequency_penalty"] = 0.5,
                ["presence_penalty"] = 0.25f,
                ["min_p"] = 0.05,
                ["repetition_penalty"] = 1.1,
                ["do_sample"] = true,
                ["enable_thinking"] = false,
                ["skill"] = "summarize",
                ["adapter"] = "adapters/summarize.onnx_adapter",
            },
        },
        "strings" => new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object>
            {
                ["temperature"] = "0.25",
                ["top_p"] = "0.9",
                ["top_k"] = "40",
                ["max_tokens"] = "64",
                ["stop_sequences"] = new List<string> { "\n\n", "END" },
                ["seed"] = "42",
                ["frequency_penalty"] = "0.5",
                ["presence_penalty"] = "0.25",
                ["min_p"] = "0.05",
                ["repetition_penalty"] = "1.1",
                ["do_sample"] = "true",
                ["enable_thinking"] = "False",
                ["skill"] = "summarize",
                ["adapter"] = "adapters/summarize.onnx_adapter",
            },
        },
        "json" => JsonSerializer.Deserialize<PromptExecutionSettings>("""
            {
              "temperature": 0.25, "top_p": 0.9, "top_k": 40, "max_tokens": 64, "stop_sequences": ["\n\n", "END"],
              "seed": 42, "frequency_penalty": 0.5, "presence_penalty": 0.25, "min_p": 0.05, "repetition_penalty": 1.1,
              "do_sample": true, "enable_thinking": false, "skill": "summarize", "adapter": "adapters/summarize.onnx_adapter"
            }
            """)!,
        "casing" => new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object>
            {
                ["Temperature"] = 0.25m,
                ["TOP_P"] = 0.9f,
                ["Top_K"] = 40L,
                ["Max_Tokens"] = 64.0,
                ["Stop_Sequences"] = new object[] { "\n\n", "END" },
                ["Seed"] = 42,
                ["Frequency_Penalty"] = 0.5,
                ["Presence_Penalty"] = 0.25,
                ["Min_P"] = 0.05,
                ["Repetition_Penalty"] = 1.1,
                ["Do_Sample"] = true,
                ["Enable_Thinking"] = false,
                ["Skill"] = "summarize",
                ["Adapter"] = "adapters/summarize.onnx_adapter",
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(representation)),
    };

    internal static AndesPromptExecutionSettings TypedSettings() => new()
    {
        Temperature = 0.25f,
        TopP = 0.9f,
        TopK = 40,
        MaxTokens = 64,
        StopSequences = ["\n\n", "END"],
        Seed = 42,
        FrequencyPenalty = 0.5f,
        PresencePenalty = 0.25f,
        MinP = 0.05f,
        RepetitionPenalty = 1.1f,
        DoSample = true,
        EnableThinking = false,
        Skill = "summarize",
        Adapter = "adapters/summarize.onnx_adapter",
    };

    /// <summary>What every representation must become on the request's <see cref="ChatOptions"/>.</summary>
    internal static void AssertMapped(ChatOptions options)
    {
        Assert.Equal(0.25f, options.Temperature);
        Assert.Equal(0.9f, options.TopP);
        Assert.Equal(40, options.TopK);
        Assert.Equal(64, options.MaxOutputTokens);
        Assert.Equal(["\n\n", "END"], options.StopSequences!);
        Assert.Equal(42L, options.Seed);
        Assert.Equal(0.5f, options.FrequencyPenalty);
        Assert.Equal(0.25f, options.PresencePenalty);

        AdditionalPropertiesDictionary extra = options.AdditionalProperties!;
        Assert.Equal(0.05f, Assert.IsType<float>(extra["min_p"]));
        Assert.Equal(1.1f, Assert.IsType<float>(extra["repetition_penalty"]));
        Assert.True(Assert.IsType<bool>(extra["do_sample"]));
        Assert.False(Assert.IsType<bool>(extra["enable_thinking"]));
        Assert.Equal("summarize", Assert.IsType<string>(extra["andes.skill"]));
        Assert.Equal("adapters/summarize.onnx_adapter", Assert.IsType<string>(extra["andes.adapter"]));
        Assert.Equal(
            ["andes.adapter", "andes.skill", "do_sample", "enable_thinking", "min_p", "repetition_penalty"],
            extra.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Representations))]
    public void FromExecutionSettingsReadsEveryKey(string representation)
    {
        AndesPromptExecutionSettings s = AndesPromptExecutionSettings.FromExecutionSettings(PlainSettings(representation));

        Assert.Equal(0.25f, s.Temperature);
        Assert.Equal(0.9f, s.TopP);
        Assert.Equal(40, s.TopK);
        Assert.Equal(64, s.MaxTokens);
        Assert.Equal(["\n\n", "END"], s.StopSequences!);
        Assert.Equal(42L, s.Seed);
        Assert.Equal(0.5f, s.FrequencyPenalty);
        Assert.Equal(0.25f, s.PresencePenalty);
        Assert.Equal(0.05f, s.MinP);
        Assert.Equal(1.1f, s.RepetitionPenalty);
        Assert.True(s.DoSample);
        Assert.False(s.EnableThinking);
        Assert.Equal("summarize", s.Skill);
        Assert.Equal("adapters/summarize.onnx_adapter", s.Adapter);
        Assert.Null(s.ExtensionData);
    }

    [Theory]
    [MemberData(nameof(Representations))]
    public async Task PlainSettingsReachTheModelMappedThroughTheKernel(string representation)
    {
        ChatOptions options = await RequestOptionsAsync(PlainSettings(representation));
        AssertMapped(options);
    }

    [Fact]
    public async Task TypedSettingsReachTheModelMappedThroughTheKernel()
    {
        ChatOptions options = await RequestOptionsAsync(TypedSettings());
        AssertMapped(options);
    }

    [Fact]
    public async Task ConvertedSettingsReachTheModelMappedThroughTheKernel()
    {
        ChatOptions options = await RequestOptionsAsync(AndesPromptExecutionSettings.FromExecutionSettings(PlainSettings("json")));
        AssertMapped(options);
    }

    [Fact]
    public void SerialisesWithSnakeCaseNamesAndWithoutUnsetValues()
    {
        string json = JsonSerializer.Serialize(new AndesPromptExecutionSettings { TopK = 3, MinP = 0.1f, Skill = "ocr", StopSequences = ["x"] });
        using JsonDocument document = JsonDocument.Parse(json);
        string[] names = [.. document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name)];
        Assert.Equal(["min_p", "skill", "stop_sequences", "top_k"], names.Order(StringComparer.Ordinal));

        var back = JsonSerializer.Deserialize<AndesPromptExecutionSettings>("""
            {"temperature": "0.3", "top_k": 5, "enable_thinking": true, "skill": "ocr", "service_id": "tiny", "custom": 1}
            """)!;
        Assert.Equal(0.3f, back.Temperature);
        Assert.Equal(5, back.TopK);
        Assert.True(back.EnableThinking);
        Assert.Equal("ocr", back.Skill);
        Assert.Equal("tiny", back.ServiceId);
        Assert.Equal(1, ((JsonElement)back.ExtensionData!["custom"]).GetInt32());
    }

    [Fact]
    public void FromExecutionSettingsKeepsIdentityAndUnknownKeys()
    {
        var andes = new AndesPromptExecutionSettings();
        Assert.Same(andes, AndesPromptExecutionSettings.FromExecutionSettings(andes));
        Assert.NotNull(AndesPromptExecutionSettings.FromExecutionSettings(null));

        FunctionChoiceBehavior auto = FunctionChoiceBehavior.Auto();
        var plain = new PromptExecutionSettings
        {
            ServiceId = "tiny",
            ModelId = "andesvl",
            FunctionChoiceBehavior = auto,
            ExtensionData = new Dictionary<string, object> { ["top_k"] = 7, ["response_format"] = "json_object" },
        };
        AndesPromptExecutionSettings converted = AndesPromptExecutionSettings.FromExecutionSettings(plain);
        Assert.Equal(("tiny", "andesvl"), (converted.ServiceId, converted.ModelId));
        Assert.Same(auto, converted.FunctionChoiceBehavior);
        Assert.Equal(7, converted.TopK);
        Assert.Equal("json_object", Assert.Single(converted.ExtensionData!, p => p.Key == "response_format").Value);
    }

    [Fact]
    public void FromExecutionSettingsReadsOtherConnectorsTypedSettings()
    {
        FunctionChoiceBehavior auto = FunctionChoiceBehavior.Auto();
        var other = new OtherConnectorSettings
        {
            ServiceId = "other",
            FunctionChoiceBehavior = auto,
            Temperature = 0.7,
            MaxTokens = 12,
            Stop = ["##"],
            ExtensionData = new Dictionary<string, object> { ["min_p"] = 0.2, ["custom"] = "x" },
        };
        other.Freeze();

        AndesPromptExecutionSettings converted = AndesPromptExecutionSettings.FromExecutionSettings(other);

        Assert.Equal("other", converted.ServiceId);
        Assert.Same(auto, converted.FunctionChoiceBehavior);
        Assert.Equal(0.7f, converted.Temperature);
        Assert.Equal(12, converted.MaxTokens);
        Assert.Equal(["##"], converted.StopSequences!);
        Assert.Equal(0.2f, converted.MinP);
        Assert.Equal(["custom"], converted.ExtensionData!.Keys);
        Assert.False(converted.IsFrozen);
    }

    [Theory]
    [InlineData("top_k", "many", "an integer")]
    [InlineData("top_k", 2.5, "an integer")]
    [InlineData("temperature", "warm", "a number")]
    [InlineData("enable_thinking", "maybe", "true or false")]
    [InlineData("skill", 3, "a string")]
    public void WrongValueTypesAreRejectedNamingTheKey(string key, object value, string expected)
    {
        var plain = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { [key] = value } };
        ArgumentException error = Assert.Throws<ArgumentException>(() => AndesPromptExecutionSettings.FromExecutionSettings(plain));
        Assert.Contains($"[\"{key}\"]", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains(value.ToString()!, error.Message);
    }

    [Fact]
    public async Task WrongValueTypesInPlainSettingsFailTheRequestNamingTheKey()
    {
        var plain = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["min_p"] = "lots" } };
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => RequestOptionsAsync(plain));
        Assert.Contains("[\"min_p\"]", error.Message);
    }

    [Fact]
    public void CloneIsIndependentAndFreezeMakesItReadOnly()
    {
        AndesPromptExecutionSettings original = TypedSettings();
        original.ServiceId = "tiny";
        original.ExtensionData = new Dictionary<string, object> { ["custom"] = 1 };

        var clone = (AndesPromptExecutionSettings)original.Clone();
        Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(clone));
        clone.StopSequences!.Add("more");
        clone.TopK = 1;
        Assert.Equal(2, original.StopSequences!.Count);
        Assert.Equal(40, original.TopK);

        original.Freeze();
        Assert.Throws<InvalidOperationException>(() => original.Temperature = 1);
        Assert.Throws<InvalidOperationException>(() => original.Skill = "other");
        Assert.Throws<NotSupportedException>(() => original.StopSequences!.Add("x"));
        Assert.False(((AndesPromptExecutionSettings)original.Clone()).IsFrozen);
    }

    [Fact]
    public void NormalizerLeavesUnrelatedOptionsAloneAndPrefersTheCanonicalKey()
    {
        var unrelated = new ChatOptions { AdditionalProperties = new() { ["custom"] = 1 } };
        Assert.Same(unrelated, AndesChatOptionsNormalizer.Normalize(unrelated));
        Assert.Null(AndesChatOptionsNormalizer.Normalize(null));

        var both = new ChatOptions { Temperature = 0.5f, AdditionalProperties = new() { ["skill"] = "alias", ["andes.skill"] = "canonical", ["temperature"] = 0.9 } };
        ChatOptions normalized = AndesChatOptionsNormalizer.Normalize(both)!;
        Assert.NotSame(both, normalized);
        Assert.Equal("canonical", normalized.AdditionalProperties!["andes.skill"]);
        Assert.Equal(0.5f, normalized.Temperature);
        Assert.Equal(["andes.skill"], normalized.AdditionalProperties.Keys);
        Assert.Equal(3, both.AdditionalProperties.Count);
    }

    private static async Task<ChatOptions> RequestOptionsAsync(PromptExecutionSettings settings)
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("ok"));
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddKernelChatClient(null, _ => script);
        Kernel kernel = builder.Build();
        await kernel.InvokePromptAsync("Hi", new KernelArguments(settings));
        return Assert.Single(script.Requests).Options!;
    }

    private sealed class OtherConnectorSettings : PromptExecutionSettings
    {
        [JsonPropertyName("temperature")]
        public double? Temperature { get; set; }

        [JsonPropertyName("max_tokens")]
        public int? MaxTokens { get; set; }

        [JsonPropertyName("stop_sequences")]
        public IList<string>? Stop { get; set; }
    }
}
