using System.Text.Json.Serialization;

namespace Andes.ModelBuilder;

/// <summary>The <c>vision_config</c> of an AndesVL <c>config.json</c> (AIMv2 for 1B-4B, SigLIP2 for 0.6B).</summary>
public sealed class AndesVisionConfig
{
    /// <summary>Model type tag (e.g. <c>aimv2</c>, <c>siglip2_vision_model</c>).</summary>
    [JsonPropertyName("model_type")] public string? ModelType { get; set; }

    /// <summary>Tower hidden size Hv.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; } = 1024;

    /// <summary>Tower MLP intermediate size.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; } = 2816;

    /// <summary>Number of tower blocks.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; } = 24;

    /// <summary>Number of attention heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; } = 8;

    /// <summary>Input channels.</summary>
    [JsonPropertyName("num_channels")] public int NumChannels { get; set; } = 3;

    /// <summary>Patch size p.</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; set; } = 14;

    /// <summary>Training image size (the position-embedding grid is image_size/patch_size square).</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; set; } = 448;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; set; } = 1e-5;

    /// <summary>LayerNorm epsilon of a SigLIP2 tower (absent from AIMv2 configs; SigLIP2's default is 1e-6).</summary>
    [JsonPropertyName("layer_norm_eps")] public double? LayerNormEps { get; set; }

    /// <summary>The MLP activation of a SigLIP2 tower (<c>gelu_pytorch_tanh</c> when absent; AIMv2 uses SwiGLU).</summary>
    [JsonPropertyName("hidden_act")] public string? HiddenAct { get; set; }

    /// <summary>Whether qkv has a bias.</summary>
    [JsonPropertyName("qkv_bias")] public bool QkvBias { get; set; }

    /// <summary>Whether the other linears have biases.</summary>
    [JsonPropertyName("use_bias")] public bool UseBias { get; set; }

    /// <summary>Spatial merge (2: each 2x2 patch group becomes one token).</summary>
    [JsonPropertyName("hidden_stride")] public int HiddenStride { get; set; } = 2;

    /// <summary>Window size of windowed blocks.</summary>
    [JsonPropertyName("window_size")] public int WindowSize { get; set; } = 112;

    /// <summary>Temporal patch size.</summary>
    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; set; } = 1;

    /// <summary>Position-embedding interpolation (<c>two_dim</c> or <c>one_dim</c>).</summary>
    [JsonPropertyName("interpolate_pe_method")] public string? InterpolatePeMethod { get; set; } = "two_dim";

    /// <summary>Whether the absolute position embedding is kept.</summary>
    [JsonPropertyName("preserve_original_pe")] public bool PreserveOriginalPe { get; set; }

    /// <summary>Whether 2-D RoPE is disabled.</summary>
    [JsonPropertyName("disable_rope")] public bool DisableRope { get; set; }

    /// <summary>Indexes of full-attention blocks when windowed attention is used (null: all full).</summary>
    [JsonPropertyName("fullatt_block_indexes")] public int[]? FullAttBlockIndexes { get; set; }

    /// <summary>Minimum pixels of the processor.</summary>
    [JsonPropertyName("min_pixels")] public long? MinPixels { get; set; }

    /// <summary>Maximum pixels of the processor.</summary>
    [JsonPropertyName("max_pixels")] public long? MaxPixels { get; set; }
}
