namespace Andes.ModelBuilder;

/// <summary>The Hugging Face tensor names of an AndesVL checkpoint's AIMv2 vision tower (1B-4B).</summary>
internal static class AimV2TensorNames
{
    public const string Prefix = "vision_encoder.";
    public const string PatchProjWeight = "vision_encoder.preprocessor.patchifier.proj.weight";
    public const string PatchProjBias = "vision_encoder.preprocessor.patchifier.proj.bias";
    public const string PatchNorm = "vision_encoder.preprocessor.patchifier.norm.weight";
    public const string PosEmbed = "vision_encoder.preprocessor.pos_embed";
    public const string PostTrunkNorm = "vision_encoder.trunk.post_trunk_norm.weight";

    public static string Block(int block, string suffix) => $"vision_encoder.trunk.blocks.{block}.{suffix}";

    public static string Qkv(int block) => Block(block, "attn.qkv.weight");

    public static string QkvBias(int block) => Block(block, "attn.qkv.bias");

    public static string Proj(int block) => Block(block, "attn.proj.weight");

    public static string ProjBias(int block) => Block(block, "attn.proj.bias");

    public static string Norm1(int block) => Block(block, "norm_1.weight");

    public static string Norm2(int block) => Block(block, "norm_2.weight");

    /// <summary>The SwiGLU MLP's linears: fc1 (gate), fc3 (up), fc2 (down).</summary>
    public static string Mlp(int block, string fc) => Block(block, $"mlp.{fc}.weight");

    public static string MlpBias(int block, string fc) => Block(block, $"mlp.{fc}.bias");
}
