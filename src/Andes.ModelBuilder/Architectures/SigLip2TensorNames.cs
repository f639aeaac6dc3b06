namespace Andes.ModelBuilder;

/// <summary>
/// The tensor names of an AndesVL-0.6B checkpoint's SigLIP2 vision tower, as described in the model spec (section 2):
/// not confirmed from a published checkpoint.
/// </summary>
internal static class SigLip2TensorNames
{
    public const string Prefix = "vision_encoder.vision_model.";
    public const string PatchProjWeight = "vision_encoder.vision_model.embeddings.proj.weight";
    public const string PatchProjBias = "vision_encoder.vision_model.embeddings.proj.bias";
    public const string PosEmbed = "vision_encoder.vision_model.embeddings.pos_embed.weight";
    public const string PostLayerNormWeight = "vision_encoder.vision_model.post_layernorm.weight";
    public const string PostLayerNormBias = "vision_encoder.vision_model.post_layernorm.bias";

    public static string Layer(int layer, string suffix) => $"vision_encoder.vision_model.encoder.layers.{layer}.{suffix}";

    /// <summary>An attention projection (<c>q</c>, <c>k</c>, <c>v</c> or <c>out</c>) weight.</summary>
    public static string Attention(int layer, string proj) => Layer(layer, $"self_attn.{proj}_proj.weight");

    public static string AttentionBias(int layer, string proj) => Layer(layer, $"self_attn.{proj}_proj.bias");

    /// <summary>A LayerNorm (<c>layer_norm1</c> or <c>layer_norm2</c>) weight or bias (<paramref name="part"/>).</summary>
    public static string LayerNorm(int layer, int index, string part) => Layer(layer, $"layer_norm{index}.{part}");

    /// <summary>An MLP linear (<c>fc1</c> or <c>fc2</c>) weight or bias (<paramref name="part"/>).</summary>
    public static string Mlp(int layer, string fc, string part) => Layer(layer, $"mlp.{fc}.{part}");
}
