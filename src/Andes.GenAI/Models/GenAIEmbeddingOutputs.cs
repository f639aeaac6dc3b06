using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The embedding graph's output names.</summary>
public sealed class GenAIEmbeddingOutputs
{
    /// <summary>The input embeddings fed to the decoder.</summary>
    [JsonPropertyName("inputs_embeds")] public string InputsEmbeds { get; set; } = "inputs_embeds";
}
