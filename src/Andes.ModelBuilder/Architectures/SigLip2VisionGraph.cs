using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes <c>vision.onnx</c> for AndesVL-0.6B's SigLIP2 tower and the connector (<see cref="VisionGraphContract"/>),
/// as the model spec describes it: patch linear + bias over the flattened patch, plus the square position table
/// sampled bicubically at each patch centre (grid_sample, a = -0.75, align_corners false, border padding: the same
/// numbers as <see cref="PositionEmbeddingInterpolation.EmitBicubic"/>), then pre-LayerNorm blocks with biased q/k/v/out
/// projections, the 2-D rotary embedding, attention within each image, an MLP fc2(act(fc1 x)) with SigLIP's
/// <c>gelu_pytorch_tanh</c> (or the exact GELU when <c>hidden_act</c> is <c>gelu</c>), the post LayerNorm and the
/// connector. LayerNorm epsilon is <c>vision_config.layer_norm_eps</c>, 1e-6 when absent.
/// </summary>
/// <remarks>Not confirmed against a published AndesVL-0.6B checkpoint (none is at hand): names and details follow the spec.</remarks>
internal sealed class SigLip2VisionGraph
{
    private readonly AndesVisionConfig _config;
    private readonly int _textHidden;
    private readonly ConversionContext _context;
    private readonly LinearLayerWriter _linears;

    public SigLip2VisionGraph(AndesVisionConfig config, int textHidden, ConversionContext context)
    {
        _config = config;
        _textHidden = textHidden;
        _context = context;
        _linears = new LinearLayerWriter(context);
    }

    /// <summary>The number of checkpoint tensors the tower and connector read.</summary>
    public static int CountTensors(AndesVisionConfig v) => 3 + (v.NumHiddenLayers * 16) + 2 + VisionConnectorGraph.TensorCount;

    public void Build(OnnxGraphBuilder g)
    {
        AndesVisionConfig c = _config;
        VisionTowerChecks.Validate(c);
        int hv = c.HiddenSize, heads = c.NumAttentionHeads, headDim = hv / heads, pixels = c.NumChannels * c.PatchSize * c.PatchSize;
        float eps = (float)LayerNormEpsilon(c);
        bool exactGelu = string.Equals(c.HiddenAct, "gelu", StringComparison.Ordinal);
        if (c.HiddenAct is not (null or "gelu" or "gelu_pytorch_tanh" or "gelu_new"))
        {
            throw new Andes.ModelBuilder.CheckpointException($"config.json field 'vision_config.hidden_act' = {c.HiddenAct}: expected gelu_pytorch_tanh or gelu.");
        }

        WeightPrecision precision = _context.Options.Precision;

        string input = g.Input(VisionGraphContract.PixelValues, OnnxDataType.Float, "num_patches", pixels);
        string gridThw = g.Input(VisionGraphContract.ImageGridThw, OnnxDataType.Int64, "num_images", 3);
        g.Output(VisionGraphContract.ImageFeatures, OnnxDataType.Float, "num_image_tokens", _textHidden);
        VisionPatchGrid grid = VisionPatchGrid.Emit(g, input, gridThw, c.HiddenStride);

        string x = g.Node("Unsqueeze", [input, g.Vector("patch.axis0", 0)], "patch.batched");
        string projection = ExactTensorWriter.WriteTransposed(_context, g, SigLip2TensorNames.PatchProjWeight, [hv, pixels], hv, pixels);
        x = g.Node("MatMul", [x, projection], "patch.proj");
        x = g.Node("Add", [x, Exact(g, SigLip2TensorNames.PatchProjBias, hv)], "patch.proj_bias");
        long positions = _context.Source.GetInfo(SigLip2TensorNames.PosEmbed).Shape is [long rows, _] ? rows : -1;
        string table = ExactTensorWriter.Write(_context, g, SigLip2TensorNames.PosEmbed, [positions, hv]);
        int side = VisionTowerChecks.SquareSide(positions, SigLip2TensorNames.PosEmbed, _context.Source);
        x = g.Node("Add", [x, PositionEmbeddingInterpolation.EmitBicubic(g, table, side, grid, "pos_embed.")], "patch.embedded");

        VisionRotaryEmbedding? rope = c.DisableRope ? null : VisionRotaryEmbedding.Emit(g, grid, heads, headDim);
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            string l = $"layers.{i}.";
            string h = LayerNorm(g, x, i, 1, eps, l + "layer_norm1");
            string q = Linear(g, h, SigLip2TensorNames.Attention(i, "q"), SigLip2TensorNames.AttentionBias(i, "q"), hv, hv, precision, l + "q_proj");
            string k = Linear(g, h, SigLip2TensorNames.Attention(i, "k"), SigLip2TensorNames.AttentionBias(i, "k"), hv, hv, precision, l + "k_proj");
            string v = Linear(g, h, SigLip2TensorNames.Attention(i, "v"), SigLip2TensorNames.AttentionBias(i, "v"), hv, hv, precision, l + "v_proj");
            q = rope?.Apply(g, q, l + "q_rope") ?? q;
            k = rope?.Apply(g, k, l + "k_rope") ?? k;
            string attended = ImageAttention.Emit(g, q, k, v, grid, heads, hv, l + "attn");
            string o = Linear(g, attended, SigLip2TensorNames.Attention(i, "out"), SigLip2TensorNames.AttentionBias(i, "out"), hv, hv, precision, l + "out_proj");
            x = g.Node("Add", [x, o], l + "residual_attn");

            h = LayerNorm(g, x, i, 2, eps, l + "layer_norm2");
            string fc1 = Linear(g, h, SigLip2TensorNames.Mlp(i, "fc1", "weight"), SigLip2TensorNames.Mlp(i, "fc1", "bias"), c.IntermediateSize, hv, precision, l + "fc1");
            string act = g.Node(exactGelu ? "Gelu" : "FastGelu", [fc1], l + "gelu", "com.microsoft");
            string fc2 = Linear(g, act, SigLip2TensorNames.Mlp(i, "fc2", "weight"), SigLip2TensorNames.Mlp(i, "fc2", "bias"), hv, c.IntermediateSize, precision, l + "fc2");
            x = g.Node("Add", [x, fc2], l + "residual_mlp");
        }

        string final = g.Node(
            "LayerNormalization",
            [x, Exact(g, SigLip2TensorNames.PostLayerNormWeight, hv), Exact(g, SigLip2TensorNames.PostLayerNormBias, hv)],
            "post_layernorm",
            "",
            ("axis", -1),
            ("epsilon", eps));
        VisionConnectorGraph.Emit(g, _context, _linears, final, hv, c.HiddenStride, _textHidden);
    }

    /// <summary>SigLIP2's LayerNorm epsilon: <c>layer_norm_eps</c>, 1e-6 when the config does not give it.</summary>
    public static double LayerNormEpsilon(AndesVisionConfig c) => c.LayerNormEps ?? 1e-6;

    private string Exact(OnnxGraphBuilder g, string name, int size) => ExactTensorWriter.Write(_context, g, name, [size]);

    private string LayerNorm(OnnxGraphBuilder g, string x, int layer, int index, float eps, string outputName) => g.Node(
        "LayerNormalization",
        [x, Exact(g, SigLip2TensorNames.LayerNorm(layer, index, "weight"), _config.HiddenSize), Exact(g, SigLip2TensorNames.LayerNorm(layer, index, "bias"), _config.HiddenSize)],
        outputName,
        "",
        ("axis", -1),
        ("epsilon", eps));

    private string Linear(OnnxGraphBuilder g, string x, string weight, string bias, int outFeatures, int inFeatures, WeightPrecision precision, string outputName)
    {
        string y = _linears.Emit(g, x, weight, outFeatures, inFeatures, precision, outputName + "_matmul");
        return g.Node("Add", [y, Exact(g, bias, outFeatures)], outputName);
    }
}
