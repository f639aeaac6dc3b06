using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The vision graph's output names.</summary>
public sealed class GenAIVisionOutputs
{
    /// <summary>Image feature rows (language-model hidden size).</summary>
    [JsonPropertyName("image_features")] public string ImageFeatures { get; set; } = "image_features";
}
