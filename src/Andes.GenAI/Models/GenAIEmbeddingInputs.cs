using System.Text.Json.Serialization;

namespace Andes.GenAI.Models;

/// <summary>The embedding graph's input names.</summary>
public sealed class GenAIEmbeddingInputs
{
    /// <summary>Token ids.</summary>
    [JsonPropertyName("input_ids")] public string InputIds { get; set; } = "input_ids";

    /// <summary>Image feature rows scattered into the image placeholder positions (absent in text-only graphs).</summary>
    [JsonPropertyName("image_features")] public string? ImageFeatures { get; set; }
}
