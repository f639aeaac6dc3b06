namespace Andes.ModelBuilder;

/// <summary>The Hugging Face tensor names of an AndesVL checkpoint's Qwen3 language model.</summary>
internal static class Qwen3TensorNames
{
    public const string Prefix = "language_model.";
    public const string EmbedTokens = "language_model.model.embed_tokens.weight";
    public const string FinalNorm = "language_model.model.norm.weight";
    public const string LmHead = "language_model.lm_head.weight";

    public static string Layer(int layer, string suffix) => $"language_model.model.layers.{layer}.{suffix}";

    public static string QProj(int layer) => Layer(layer, "self_attn.q_proj.weight");

    public static string KProj(int layer) => Layer(layer, "self_attn.k_proj.weight");

    public static string VProj(int layer) => Layer(layer, "self_attn.v_proj.weight");

    public static string OProj(int layer) => Layer(layer, "self_attn.o_proj.weight");

    public static string QNorm(int layer) => Layer(layer, "self_attn.q_norm.weight");

    public static string KNorm(int layer) => Layer(layer, "self_attn.k_norm.weight");

    public static string GateProj(int layer) => Layer(layer, "mlp.gate_proj.weight");

    public static string UpProj(int layer) => Layer(layer, "mlp.up_proj.weight");

    public static string DownProj(int layer) => Layer(layer, "mlp.down_proj.weight");

    public static string InputNorm(int layer) => Layer(layer, "input_layernorm.weight");

    public static string PostAttentionNorm(int layer) => Layer(layer, "post_attention_layernorm.weight");

    /// <summary>The tensors one decoder layer has.</summary>
    public const int TensorsPerLayer = 11;
}
