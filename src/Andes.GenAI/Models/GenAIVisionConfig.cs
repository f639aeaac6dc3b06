using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The <c>model.vision</c> section: pixels to image features.</summary>
public sealed class GenAIVisionConfig
{
    /// <summary>The vision graph file.</summary>
    [JsonPropertyName("filename")] public string Filename { get; set; } = "vision.onnx";

    /// <summary>The image processor configuration file.</summary>
    [JsonPropertyName("config_filename")] public string? ConfigFilename { get; set; } = "processor_config.json";

    /// <summary>An adapter file for the vision graph, if any.</summary>
    [JsonPropertyName("adapter_filename")] public string? AdapterFilename { get; set; }

    /// <summary>Spatial merge size (2x2 patch groups).</summary>
    [JsonPropertyName("spatial_merge_size")] public int? SpatialMergeSize { get; set; }

    /// <summary>Patch size in pixels.</summary>
    [JsonPropertyName("patch_size")] public int? PatchSize { get; set; }

    /// <summary>ONNX Runtime session options for this graph.</summary>
    [JsonPropertyName("session_options")] public GenAISessionOptions? SessionOptions { get; set; }

    /// <summary>Input names.</summary>
    [JsonPropertyName("inputs")] public GenAIVisionInputs Inputs { get; set; } = new();

    /// <summary>Output names.</summary>
    [JsonPropertyName("outputs")] public GenAIVisionOutputs Outputs { get; set; } = new();
}
