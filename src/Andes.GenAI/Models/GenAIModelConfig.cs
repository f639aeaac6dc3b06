using System.Text.Json.Serialization;

namespace Andes.GenAI.Models;

/// <summary>The <c>model</c> section of <c>genai_config.json</c>.</summary>
public sealed class GenAIModelConfig
{
    /// <summary>Model type (<c>andesvl</c> for models written by Andes).</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "andesvl";

    /// <summary>Maximum total tokens (prompt + generated).</summary>
    [JsonPropertyName("context_length")] public int ContextLength { get; set; }

    /// <summary>Vocabulary size (logits width).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; set; }

    /// <summary>BOS token id.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; set; }

    /// <summary>Padding token id.</summary>
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; set; }

    /// <summary>End-of-sequence token ids (a single int or an array in the file).</summary>
    [JsonPropertyName("eos_token_id")]
    [JsonConverter(typeof(IntOrIntArrayJsonConverter))]
    public int[] EosTokenId { get; set; } = [];

    /// <summary>The image placeholder token id (<c>&lt;|vision_pad|&gt;</c>).</summary>
    [JsonPropertyName("image_token_id")] public int? ImageTokenId { get; set; }

    /// <summary>The image start token id (<c>&lt;img&gt;</c>).</summary>
    [JsonPropertyName("vision_start_token_id")] public int? VisionStartTokenId { get; set; }

    /// <summary>The image end token id (<c>&lt;/img&gt;</c>).</summary>
    [JsonPropertyName("vision_end_token_id")] public int? VisionEndTokenId { get; set; }

    /// <summary>The decoder graph.</summary>
    [JsonPropertyName("decoder")] public GenAIDecoderConfig Decoder { get; set; } = new();

    /// <summary>The embedding graph (vision-language layout), if any.</summary>
    [JsonPropertyName("embedding")] public GenAIEmbeddingConfig? Embedding { get; set; }

    /// <summary>The vision graph, if any.</summary>
    [JsonPropertyName("vision")] public GenAIVisionConfig? Vision { get; set; }
}
