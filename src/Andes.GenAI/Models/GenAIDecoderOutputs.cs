using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The decoder's output names (<c>model.decoder.outputs</c>).</summary>
public sealed class GenAIDecoderOutputs
{
    /// <summary>Logits output; <c>logits</c> when absent.</summary>
    [JsonPropertyName("logits")] public string Logits { get; set; } = "logits";

    /// <summary>Present key names with a <c>%d</c> layer placeholder; <c>present.%d.key</c> when absent.</summary>
    [JsonPropertyName("present_key_names")] public string? PresentKeyNames { get; set; }

    /// <summary>Present value names with a <c>%d</c> layer placeholder; <c>present.%d.value</c> when absent.</summary>
    [JsonPropertyName("present_value_names")] public string? PresentValueNames { get; set; }

    /// <summary>Combined present names (<c>present_%d</c>), instead of separate ones.</summary>
    [JsonPropertyName("present_names")] public string? PresentNames { get; set; }
}
