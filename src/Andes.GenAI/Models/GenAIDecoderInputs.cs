using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The decoder's input names (<c>model.decoder.inputs</c>). A name that is absent takes ONNX Runtime GenAI's default;
/// an optional input (position ids) is fed when the graph has an input of that name.
/// </summary>
public sealed class GenAIDecoderInputs
{
    /// <summary>Token ids input (decoders without an embedding graph); <c>input_ids</c> when absent.</summary>
    [JsonPropertyName("input_ids")] public string? InputIds { get; set; }

    /// <summary>Embeddings input (decoders fed by an embedding graph); <c>inputs_embeds</c> when absent.</summary>
    [JsonPropertyName("inputs_embeds")] public string? InputsEmbeds { get; set; }

    /// <summary>Attention mask input; <c>attention_mask</c> when absent.</summary>
    [JsonPropertyName("attention_mask")] public string? AttentionMask { get; set; } = "attention_mask";

    /// <summary>Position ids input; <c>position_ids</c> when absent. Fed when the graph has an input of that name.</summary>
    [JsonPropertyName("position_ids")] public string? PositionIds { get; set; }

    /// <summary>Past key names with a <c>%d</c> layer placeholder; <c>past_key_values.%d.key</c> when absent.</summary>
    [JsonPropertyName("past_key_names")] public string? PastKeyNames { get; set; }

    /// <summary>Past value names with a <c>%d</c> layer placeholder; <c>past_key_values.%d.value</c> when absent.</summary>
    [JsonPropertyName("past_value_names")] public string? PastValueNames { get; set; }

    /// <summary>Combined past names (<c>past_%d</c>: key and value stacked in one tensor), instead of separate ones.</summary>
    [JsonPropertyName("past_names")] public string? PastNames { get; set; }
}
