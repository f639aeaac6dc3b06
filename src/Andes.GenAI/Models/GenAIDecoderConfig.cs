using System.Text.Json.Serialization;

namespace Andes.GenAI.Models;

/// <summary>The <c>model.decoder</c> section: the decoder graph and its shape.</summary>
public sealed class GenAIDecoderConfig
{
    /// <summary>The decoder graph file, relative to the model folder.</summary>
    [JsonPropertyName("filename")] public string Filename { get; set; } = "decoder.onnx";

    /// <summary>ONNX Runtime session options for this graph.</summary>
    [JsonPropertyName("session_options")] public GenAISessionOptions? SessionOptions { get; set; }

    /// <summary>ONNX Runtime run options (config entries).</summary>
    [JsonPropertyName("run_options")] public Dictionary<string, string>? RunOptions { get; set; }

    /// <summary>Per-head dimension.</summary>
    [JsonPropertyName("head_size")] public int HeadSize { get; set; }

    /// <summary>Hidden size.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; }

    /// <summary>Number of query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; }

    /// <summary>Number of key/value heads.</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; set; }

    /// <summary>Number of layers (KV cache pairs).</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; }

    /// <summary>Graph input names.</summary>
    [JsonPropertyName("inputs")] public GenAIDecoderInputs Inputs { get; set; } = new();

    /// <summary>Graph output names.</summary>
    [JsonPropertyName("outputs")] public GenAIDecoderOutputs Outputs { get; set; } = new();
}
