using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The <c>model.embedding</c> section: token ids (+ image features) to input embeddings.</summary>
public sealed class GenAIEmbeddingConfig
{
    /// <summary>The embedding graph file.</summary>
    [JsonPropertyName("filename")] public string Filename { get; set; } = "embedding.onnx";

    /// <summary>ONNX Runtime session options for this graph.</summary>
    [JsonPropertyName("session_options")] public GenAISessionOptions? SessionOptions { get; set; }

    /// <summary>Input names.</summary>
    [JsonPropertyName("inputs")] public GenAIEmbeddingInputs Inputs { get; set; } = new();

    /// <summary>Output names.</summary>
    [JsonPropertyName("outputs")] public GenAIEmbeddingOutputs Outputs { get; set; } = new();
}
