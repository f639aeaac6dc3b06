using System.Text.Json.Serialization;

namespace Andes.ModelBuilder;

/// <summary>The <c>text_config</c> of an AndesVL <c>config.json</c>: a Qwen3 language model.</summary>
public sealed class Qwen3TextConfig
{
    /// <summary>Model type tag (<c>qwen3</c>).</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "qwen3";

    /// <summary>Hidden size H.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; } = 1024;

    /// <summary>SwiGLU intermediate size.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; } = 3072;

    /// <summary>Number of decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; } = 28;

    /// <summary>Number of query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; } = 16;

    /// <summary>Number of key/value heads (grouped-query attention).</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; set; } = 8;

    /// <summary>Per-head dimension (not necessarily hidden/heads in Qwen3).</summary>
    [JsonPropertyName("head_dim")] public int HeadDim { get; set; } = 128;

    /// <summary>Vocabulary size.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; set; } = 151936;

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; set; } = 1e-6;

    /// <summary>Rotary base.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; set; } = 1_000_000;

    /// <summary>Maximum positions (the context length).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; set; } = 40960;

    /// <summary>Whether lm_head shares the embedding matrix.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>BOS token id (unused in prompts: AndesVL adds no BOS).</summary>
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; set; } = 151643;

    /// <summary>EOS token id.</summary>
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; set; } = 151645;

    /// <summary>MLP activation (<c>silu</c>).</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; set; } = "silu";

    /// <summary>Stored dtype of the weights.</summary>
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; set; }
}
