using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The embedding graph's input names.</summary>
public sealed class GenAIEmbeddingInputs
{
    /// <summary>Token ids.</summary>
    [JsonPropertyName("input_ids")] public string InputIds { get; set; } = "input_ids";

    /// <summary>
    /// Image feature rows scattered into the image placeholder positions. When absent, <c>image_features</c> is fed if
    /// the graph has an input of that name (text-only embedding graphs have none).
    /// </summary>
    [JsonPropertyName("image_features")] public string? ImageFeatures { get; set; }
}
