using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes <c>vision.onnx</c> for AndesVL's AIMv2 tower and the connector (<see cref="VisionGraphContract"/>): patch
/// linear (the Conv2d weight as a matrix over the flattened patch) + bias, RMSNorm, plus the absolute position table
/// interpolated to each image's grid (when <c>preserve_original_pe</c>), then blocks x += proj(attn(norm_1 x));
/// x += fc2(silu(fc1 x) * fc3 x) with the 2-D rotary embedding and attention kept within each image, the post-trunk
/// RMSNorm and the connector. Block and connector linears follow the conversion precision (MatMulNBits when
/// quantised); the patch projection, norms, biases and the position table stay float32.
/// </summary>
internal sealed class AimV2VisionGraph
{
    private readonly AndesVisionConfig _config;
    private readonly int _textHidden;
    private readonly ConversionContext _context;
    private readonly LinearLayerWriter _linears;

    public AimV2VisionGraph(AndesVisionConfig config, int textHidden, ConversionContext context)
    {
        _config = config;
        _textHidden = textHidden;
        _context = context;
        _linears = new LinearLayerWriter(context);
    }

    /// <summary>The number of checkpoint tensors the tower and connector read.</summary>
    public static int CountTensors(AndesVisionConfig v)
    {
        int perBlock = 7 + (v.QkvBias ? 1 : 0) + (v.UseBias ? 4 : 0);
        return 3 + (v.PreserveOriginalPe ? 1 : 0) + (v.NumHiddenLayers * perBlock) + 1 + VisionConnectorGraph.TensorCount;
    }

    public void Build(OnnxGraphBuilder g)
    {
        AndesVisionConfig c = _config;
        VisionTowerChecks.Validate(c);
        int hv = c.HiddenSize, heads = c.NumAttentionHeads, headDim = hv / heads, p = c.PatchSize, pixels = c.NumChannels * p * p;
        int merge = c.HiddenStride;
        float eps = (float)c.RmsNormEps;
        WeightPrecision precision = _context.Options.Precision;

        string input = g.Input(VisionGraphContract.PixelValues, OnnxDataType.Float, "num_patches", pixels);
        string gridThw = g.Input(VisionGraphContract.ImageGridThw, OnnxDataType.Int64, "num_images", 3);
        g.Output(VisionGraphContract.ImageFeatures, OnnxDataType.Float, "num_image_tokens", _textHidden);
        VisionPatchGrid grid = VisionPatchGrid.Emit(g, input, gridThw, merge);

        // Patch embedding: [1, N, C*p*p] x W^T + b, RMSNorm, + position embedding.
        string x = g.Node("Unsqueeze", [input, g.Vector("patch.axis0", 0)], "patch.batched");
        string projection = ExactTensorWriter.WriteTransposed(_context, g, AimV2TensorNames.PatchProjWeight, [hv, c.NumChannels, p, p], hv, pixels);
        x = g.Node("MatMul", [x, projection], "patch.proj");
        x = g.Node("Add", [x, ExactTensorWriter.Write(_context, g, AimV2TensorNames.PatchProjBias, [hv])], "patch.proj_bias");
        x = g.Node("SimplifiedLayerNormalization", [x, Norm(g, AimV2TensorNames.PatchNorm)], "patch.norm", "", ("axis", -1), ("epsilon", eps));
        if (c.PreserveOriginalPe)
        {
            long positions = _context.Source.GetInfo(AimV2TensorNames.PosEmbed).Shape is [1, long l, _] ? l : -1;
            string table = ExactTensorWriter.Write(_context, g, AimV2TensorNames.PosEmbed, [1, positions, hv], [positions, hv]);
            string position = string.Equals(c.InterpolatePeMethod, "one_dim", StringComparison.Ordinal)
                ? PositionEmbeddingInterpolation.EmitLinear(g, table, (int)positions, grid, "pos_embed.")
                : PositionEmbeddingInterpolation.EmitBicubic(g, table, VisionTowerChecks.SquareSide(positions, AimV2TensorNames.PosEmbed, _context.Source), grid, "pos_embed.");
            x = g.Node("Add", [x, position], "patch.embedded");
        }

        VisionRotaryEmbedding? rope = c.DisableRope ? null : VisionRotaryEmbedding.Emit(g, grid, heads, headDim);
        string qkvSplit = g.Vector("attention.qkv_split", hv, hv, hv);

        string residual = x;
        string? pending = null;
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            string b = $"blocks.{i}.";
            string norm1 = Norm(g, AimV2TensorNames.Norm1(i));
            string hidden;
            if (pending is null)
            {
                hidden = g.Node("SimplifiedLayerNormalization", [residual, norm1], b + "norm_1", "", ("axis", -1), ("epsilon", eps));
            }
            else
            {
                string[] outs = g.Node("SkipSimplifiedLayerNormalization", [pending, residual, norm1], [b + "norm_1", "", "", b + "residual_attn"], "com.microsoft", ("epsilon", eps));
                hidden = outs[0];
                residual = outs[3];
            }

            string qkv = _linears.Emit(g, hidden, AimV2TensorNames.Qkv(i), 3 * hv, hv, precision, b + "qkv");
            if (c.QkvBias)
            {
                qkv = g.Node("Add", [qkv, ExactTensorWriter.Write(_context, g, AimV2TensorNames.QkvBias(i), [3L * hv])], b + "qkv_bias");
            }

            string[] parts = g.Node("Split", [qkv, qkvSplit], [b + "q", b + "k", b + "v"], "", ("axis", -1));
            string q = rope?.Apply(g, parts[0], b + "q_rope") ?? parts[0];
            string k = rope?.Apply(g, parts[1], b + "k_rope") ?? parts[1];
            string attended = ImageAttention.Emit(g, q, k, parts[2], grid, heads, hv, b + "attn");
            string o = _linears.Emit(g, attended, AimV2TensorNames.Proj(i), hv, hv, precision, b + "proj");
            o = Bias(g, o, AimV2TensorNames.ProjBias(i), hv, b + "proj_bias");

            string[] post = g.Node("SkipSimplifiedLayerNormalization", [o, residual, Norm(g, AimV2TensorNames.Norm2(i))], [b + "norm_2", "", "", b + "residual_mlp"], "com.microsoft", ("epsilon", eps));
            residual = post[3];
            string fc1 = Bias(g, _linears.Emit(g, post[0], AimV2TensorNames.Mlp(i, "fc1"), c.IntermediateSize, hv, precision, b + "fc1"), AimV2TensorNames.MlpBias(i, "fc1"), c.IntermediateSize, b + "fc1_bias");
            string fc3 = Bias(g, _linears.Emit(g, post[0], AimV2TensorNames.Mlp(i, "fc3"), c.IntermediateSize, hv, precision, b + "fc3"), AimV2TensorNames.MlpBias(i, "fc3"), c.IntermediateSize, b + "fc3_bias");
            string silu = g.Node("Mul", [fc1, g.Node("Sigmoid", [fc1], b + "fc1_sigmoid")], b + "fc1_silu");
            string act = g.Node("Mul", [silu, fc3], b + "mlp_act");
            pending = Bias(g, _linears.Emit(g, act, AimV2TensorNames.Mlp(i, "fc2"), hv, c.IntermediateSize, precision, b + "fc2"), AimV2TensorNames.MlpBias(i, "fc2"), hv, b + "fc2_bias");
        }

        string final = pending is null
            ? g.Node("SimplifiedLayerNormalization", [residual, Norm(g, AimV2TensorNames.PostTrunkNorm)], "post_trunk_norm", "", ("axis", -1), ("epsilon", eps))
            : g.Node("SkipSimplifiedLayerNormalization", [pending, residual, Norm(g, AimV2TensorNames.PostTrunkNorm)], ["post_trunk_norm", "", "", ""], "com.microsoft", ("epsilon", eps))[0];
        VisionConnectorGraph.Emit(g, _context, _linears, final, hv, merge, _textHidden);
    }

    private string Norm(OnnxGraphBuilder g, string name) => ExactTensorWriter.Write(_context, g, name, [_config.HiddenSize]);

    /// <summary>Adds the bias when the configuration says the linears have one (<c>use_bias</c>).</summary>
    private string Bias(OnnxGraphBuilder g, string x, string biasName, int size, string outputName) =>
        _config.UseBias ? g.Node("Add", [x, ExactTensorWriter.Write(_context, g, biasName, [size])], outputName) : x;
}
