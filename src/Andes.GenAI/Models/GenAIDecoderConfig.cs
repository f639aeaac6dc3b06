using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The <c>model.decoder</c> section: the decoder graph and its shape.</summary>
public sealed class GenAIDecoderConfig
{
    /// <summary>The decoder graph file, relative to the model folder.</summary>
    [JsonPropertyName("filename")] public string Filename { get; set; } = "decoder.onnx";

    /// <summary>ONNX Runtime session options for this graph.</summary>
    [JsonPropertyName("session_options")] public GenAISessionOptions? SessionOptions { get; set; }

    /// <summary>ONNX Runtime run options (config entries).</summary>
    [JsonPropertyName("run_options")] public Dictionary<string, string>? RunOptions { get; set; }

    /// <summary>
    /// Per-head dimension; 0 when absent. A decoder with separate past key/value inputs of a fixed head dimension takes
    /// it from the graph (as ONNX Runtime GenAI does); otherwise it is required.
    /// </summary>
    [JsonPropertyName("head_size")] public int HeadSize { get; set; }

    /// <summary>
    /// Hidden size; 0 when absent (ONNX Runtime GenAI's builder writes it, but the field is optional). Andes needs it for
    /// embeddings and image features and then reads it from the graphs when it is absent.
    /// </summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; }

    /// <summary>Number of query heads; 0 when absent. Not used (as in ONNX Runtime GenAI).</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; }

    /// <summary>
    /// Number of key/value heads; 0 when absent. A decoder with separate past key/value inputs of a fixed head count
    /// takes it from the graph (as ONNX Runtime GenAI does); otherwise it is required.
    /// </summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; set; }

    /// <summary>
    /// Number of layers (KV cache pairs); 0 when absent. A decoder with separate past key/value inputs takes it from the
    /// graph's past key inputs (as ONNX Runtime GenAI does); otherwise it is required.
    /// </summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; }

    /// <summary>Graph input names.</summary>
    [JsonPropertyName("inputs")] public GenAIDecoderInputs Inputs { get; set; } = new();

    /// <summary>Graph output names.</summary>
    [JsonPropertyName("outputs")] public GenAIDecoderOutputs Outputs { get; set; } = new();

    // Fields ONNX Runtime GenAI knows and Andes cannot honour: read only so that loading can name them as unsupported
    // instead of calling them unknown.
    [JsonInclude, JsonPropertyName("sliding_window")] internal JsonElement? SlidingWindow { get; set; }

    [JsonInclude, JsonPropertyName("pipeline")] internal JsonElement? Pipeline { get; set; }
}
