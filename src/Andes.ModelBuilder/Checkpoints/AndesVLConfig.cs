using System.Text.Json;
using System.Text.Json.Serialization;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>An AndesVL checkpoint's <c>config.json</c> (Hugging Face layout).</summary>
public sealed class AndesVLConfig
{
    /// <summary>Architectures (<c>AndesVLForConditionalGeneration</c>).</summary>
    [JsonPropertyName("architectures")] public string[] Architectures { get; set; } = ["AndesVLForConditionalGeneration"];

    /// <summary><c>andesvl-aimv2-qwen3</c> (1B-4B) or <c>andesvl-siglip2-qwen3</c> (0.6B).</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "andesvl-aimv2-qwen3";

    /// <summary>Stored dtype of the weights.</summary>
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; set; } = "bfloat16";

    /// <summary>The language model.</summary>
    [JsonPropertyName("text_config")] public Qwen3TextConfig TextConfig { get; set; } = new();

    /// <summary>The vision tower, if any.</summary>
    [JsonPropertyName("vision_config")] public AndesVisionConfig? VisionConfig { get; set; }

    /// <summary>Other top-level fields, kept as they were (e.g. <c>auto_map</c>).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Whether the vision tower is SigLIP2 (else AIMv2).</summary>
    [JsonIgnore] public bool IsSigLip2 => ModelType.Contains("siglip", StringComparison.OrdinalIgnoreCase);

    private static readonly AndesModelBuilderJsonContext JsonOptions = new(new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    /// <summary>Reads <c>config.json</c> from a checkpoint folder or a file path.</summary>
    /// <param name="path">The folder or the file.</param>
    /// <exception cref="CheckpointException">Missing, unreadable or invalid file (named in the message).</exception>
    public static AndesVLConfig Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new CheckpointException($"Checkpoint configuration not found: '{file}'.", file);
        }

        AndesVLConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(File.ReadAllText(file), JsonOptions.AndesVLConfig);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"'{file}' is not a valid AndesVL config.json: {ex.Message}", file, innerException: ex);
        }

        if (config is null)
        {
            throw new CheckpointException($"'{file}' is empty (expected a JSON object).", file);
        }

        config.Validate(file);
        return config;
    }

    /// <summary>Writes this configuration as <c>config.json</c> into <paramref name="directory"/>.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(this, JsonOptions.AndesVLConfig));
    }

    private void Validate(string file)
    {
        Qwen3TextConfig t = TextConfig ?? throw new CheckpointException($"'{file}': field 'text_config' is missing.", file);
        Check(t.HiddenSize > 0, "text_config.hidden_size", t.HiddenSize);
        Check(t.IntermediateSize > 0, "text_config.intermediate_size", t.IntermediateSize);
        Check(t.NumHiddenLayers > 0, "text_config.num_hidden_layers", t.NumHiddenLayers);
        Check(t.NumAttentionHeads > 0, "text_config.num_attention_heads", t.NumAttentionHeads);
        Check(t.NumKeyValueHeads > 0 && t.NumAttentionHeads % t.NumKeyValueHeads == 0, "text_config.num_key_value_heads", t.NumKeyValueHeads);
        Check(t.HeadDim > 0 && t.HeadDim % 2 == 0, "text_config.head_dim", t.HeadDim);
        Check(t.VocabSize > 0, "text_config.vocab_size", t.VocabSize);
        Check(t.HiddenAct == "silu", "text_config.hidden_act", t.HiddenAct);
        if (VisionConfig is { } v)
        {
            Check(v.HiddenSize > 0, "vision_config.hidden_size", v.HiddenSize);
            Check(v.NumAttentionHeads > 0 && v.HiddenSize % v.NumAttentionHeads == 0, "vision_config.num_attention_heads", v.NumAttentionHeads);
            Check(v.PatchSize > 0, "vision_config.patch_size", v.PatchSize);
        }

        void Check(bool ok, string field, object value)
        {
            if (!ok)
            {
                throw new CheckpointException($"'{file}': field '{field}' has an invalid value '{value}'.", file);
            }
        }
    }
}
