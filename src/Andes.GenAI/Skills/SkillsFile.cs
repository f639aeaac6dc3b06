using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The JSON shape of <c>skills.json</c> (read strictly: unknown fields are errors).</summary>
internal sealed class SkillsFile
{
    /// <summary>Adapter name to path (relative to the file's folder): an <c>.onnx_adapter</c> file or a PEFT folder.</summary>
    [JsonPropertyName("adapters")] public Dictionary<string, string>? Adapters { get; set; }

    [JsonPropertyName("skills")] public List<Entry>? Skills { get; set; }

    internal sealed class Entry
    {
        [JsonPropertyName("name")] public string? Name { get; set; }

        [JsonPropertyName("description")] public string? Description { get; set; }

        [JsonPropertyName("adapter")] public string? Adapter { get; set; }

        [JsonPropertyName("instructions")] public string? Instructions { get; set; }

        [JsonPropertyName("options")] public Options? Options { get; set; }

        [JsonPropertyName("output_parser")] public string? OutputParser { get; set; }
    }

    internal sealed class Options
    {
        [JsonPropertyName("temperature")] public float? Temperature { get; set; }

        [JsonPropertyName("top_p")] public float? TopP { get; set; }

        [JsonPropertyName("top_k")] public int? TopK { get; set; }

        [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; set; }

        [JsonPropertyName("seed")] public long? Seed { get; set; }

        [JsonPropertyName("frequency_penalty")] public float? FrequencyPenalty { get; set; }

        [JsonPropertyName("presence_penalty")] public float? PresencePenalty { get; set; }

        [JsonPropertyName("stop")] public List<string>? Stop { get; set; }

        [JsonPropertyName("enable_thinking")] public bool? EnableThinking { get; set; }

        [JsonPropertyName("repetition_penalty")] public float? RepetitionPenalty { get; set; }

        [JsonPropertyName("min_p")] public float? MinP { get; set; }

        [JsonPropertyName("do_sample")] public bool? DoSample { get; set; }
    }
}
