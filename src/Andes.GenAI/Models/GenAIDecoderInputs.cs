using System.Text.Json.Serialization;

namespace Andes.GenAI.Models;

/// <summary>The decoder's input names (<c>model.decoder.inputs</c>). A null name means the graph has no such input.</summary>
public sealed class GenAIDecoderInputs
{
    /// <summary>Token ids input (text-only decoders).</summary>
    [JsonPropertyName("input_ids")] public string? InputIds { get; set; }

    /// <summary>Embeddings input (vision-language decoders).</summary>
    [JsonPropertyName("inputs_embeds")] public string? InputsEmbeds { get; set; }

    /// <summary>Attention mask input.</summary>
    [JsonPropertyName("attention_mask")] public string? AttentionMask { get; set; } = "attention_mask";

    /// <summary>Position ids input, when the graph has one.</summary>
    [JsonPropertyName("position_ids")] public string? PositionIds { get; set; }

    /// <summary>Past key names with a <c>%d</c> layer placeholder.</summary>
    [JsonPropertyName("past_key_names")] public string? PastKeyNames { get; set; }

    /// <summary>Past value names with a <c>%d</c> layer placeholder.</summary>
    [JsonPropertyName("past_value_names")] public string? PastValueNames { get; set; }

    /// <summary>Combined past names (<c>past_%d</c>: key and value stacked in one tensor), instead of separate ones.</summary>
    [JsonPropertyName("past_names")] public string? PastNames { get; set; }
}
