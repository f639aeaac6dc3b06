using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The vision graph's input names.</summary>
public sealed class GenAIVisionInputs
{
    /// <summary>Flattened patches.</summary>
    [JsonPropertyName("pixel_values")] public string PixelValues { get; set; } = "pixel_values";

    /// <summary>
    /// Per-image patch grid (t, h, w). When absent, the grid is fed to an input named <c>image_sizes</c>: ONNX Runtime
    /// GenAI's default for this field.
    /// </summary>
    [JsonPropertyName("image_grid_thw")] public string? ImageGridThw { get; set; }

    /// <summary>Image sizes, for graphs that take them.</summary>
    [JsonPropertyName("image_sizes")] public string? ImageSizes { get; set; }

    /// <summary>Attention mask over patches, for graphs that take one.</summary>
    [JsonPropertyName("attention_mask")] public string? AttentionMask { get; set; }
}
