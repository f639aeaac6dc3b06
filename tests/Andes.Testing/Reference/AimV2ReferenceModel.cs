using Andes.ModelBuilder;
namespace Andes.Testing.Reference;

/// <summary>
/// A plain, loop-based AIMv2 vision tower and AndesVL connector, independent of ONNX Runtime, written from the math:
/// patch linear + RMSNorm, the absolute position table resized to each image's grid (PyTorch's bicubic
/// <c>upsample_bicubic2d</c> or linear <c>upsample_linear1d</c>, align_corners false), the 2x2-group patch order,
/// 2-D rotary embedding, blocks with attention inside each image only, the post-trunk RMSNorm, the 2x2 merge and the
/// connector (Linear, exact GELU, Linear).
/// </summary>
/// <remarks>
/// Weights come from a provider returning a tensor by its Hugging Face name, or null when absent. Every matrix product
/// accumulates in double. Immutable after construction.
/// </remarks>
public sealed class AimV2ReferenceModel
{
    private const string Pre = "vision_encoder.preprocessor.";
    private readonly Dictionary<string, float[]> _weights = new(StringComparer.Ordinal);

    /// <summary>Reads and checks every weight of the tower and the connector.</summary>
    /// <param name="config">The vision configuration.</param>
    /// <param name="textHiddenSize">The language model's hidden size (the connector's output width).</param>
    /// <param name="weights">Returns a tensor (row-major float32) by name, or null when absent.</param>
    /// <exception cref="ArgumentException">A tensor is missing or has the wrong number of elements.</exception>
    public AimV2ReferenceModel(AndesVisionConfig config, int textHiddenSize, Func<string, float[]?> weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        Config = config;
        TextHiddenSize = textHiddenSize;
        VisionReferenceMath.ReadWeights(ExpectedTensors(config, textHiddenSize), weights, _weights);
    }

    /// <summary>The vision configuration.</summary>
    public AndesVisionConfig Config { get; }

    /// <summary>The connector's output width.</summary>
    public int TextHiddenSize { get; }

    /// <summary>The values per flattened patch: channels * patch * patch.</summary>
    public int PatchValues => Config.NumChannels * Config.PatchSize * Config.PatchSize;

    /// <summary>
    /// The linear weights a quantised conversion stores as MatMulNBits, with their input features K: every block
    /// linear and both connector linears (the patch projection stays float32).
    /// </summary>
    public static IReadOnlyDictionary<string, int> QuantizedLinears(AndesVisionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int hv = config.HiddenSize, merged = hv * config.HiddenStride * config.HiddenStride;
        var map = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["mlp.0.weight"] = merged,
            ["mlp.2.weight"] = merged,
        };
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string b = $"vision_encoder.trunk.blocks.{i}.";
            map[b + "attn.qkv.weight"] = hv;
            map[b + "attn.proj.weight"] = hv;
            map[b + "mlp.fc1.weight"] = hv;
            map[b + "mlp.fc3.weight"] = hv;
            map[b + "mlp.fc2.weight"] = config.IntermediateSize;
        }

        return map;
    }

    /// <summary>
    /// Runs the tower and the connector over patches of one or more images.
    /// </summary>
    /// <param name="pixelValues">[N, C*p*p]: every image's patches in 2x2-group order, images concatenated.</param>
    /// <param name="grids">Each image's grid (rows, cols) in patches; both multiples of the merge size.</param>
    /// <returns>One row of the language model's hidden size per 2x2 group, images in order.</returns>
    public float[][] Forward(ReadOnlySpan<float> pixelValues, IReadOnlyList<(int Rows, int Cols)> grids)
    {
        float[][] tokens = EncodeTower(pixelValues, grids);
        return VisionReferenceMath.Connector(tokens, Config.HiddenStride * Config.HiddenStride, _weights);
    }

    /// <summary>The tower's output (after the post-trunk norm), one hidden row per patch, in the input order.</summary>
    /// <param name="pixelValues">[N, C*p*p] patches.</param>
    /// <param name="grids">Each image's grid (rows, cols).</param>
    /// <returns>N rows of the vision hidden size.</returns>
    public float[][] EncodeTower(ReadOnlySpan<float> pixelValues, IReadOnlyList<(int Rows, int Cols)> grids)
    {
        AndesVisionConfig c = Config;
        int hv = c.HiddenSize, heads = c.NumAttentionHeads, d = hv / heads, merge = c.HiddenStride;
        int n = 0;
        foreach ((int rows, int cols) in grids)
        {
            if (rows <= 0 || cols <= 0 || rows % merge != 0 || cols % merge != 0)
            {
                throw new ArgumentException($"Grid ({rows}, {cols}) is not a positive multiple of the merge size {merge}.", nameof(grids));
            }

            n += rows * cols;
        }

        if (pixelValues.Length != n * PatchValues)
        {
            throw new ArgumentException($"{pixelValues.Length} pixel values given; the grids need {n} patches of {PatchValues}.", nameof(pixelValues));
        }

        // Patch positions in the 2x2-group order and each patch's image.
        var positions = new (int Row, int Col)[n];
        var segments = new (int Start, int Count)[grids.Count];
        var x = new float[n][];
        int cursor = 0;
        for (int m = 0; m < grids.Count; m++)
        {
            (int rows, int cols) = grids[m];
            segments[m] = (cursor, rows * cols);
            double[,,]? table = c.PreserveOriginalPe ? InterpolatedPositions(rows, cols) : null;
            for (int gr = 0; gr < rows / merge; gr++)
            {
                for (int gc = 0; gc < cols / merge; gc++)
                {
                    for (int i = 0; i < merge; i++)
                    {
                        for (int j = 0; j < merge; j++)
                        {
                            int row = (gr * merge) + i, col = (gc * merge) + j;
                            positions[cursor] = (row, col);
                            float[] patch = VisionReferenceMath.Accumulate(ReferenceMath.MatVec(_weights[Pre + "patchifier.proj.weight"], pixelValues.Slice(cursor * PatchValues, PatchValues)), _weights[Pre + "patchifier.proj.bias"]);
                            float[] e = ReferenceMath.RmsNorm(patch, _weights[Pre + "patchifier.norm.weight"], c.RmsNormEps);
                            if (table is not null)
                            {
                                for (int k = 0; k < hv; k++)
                                {
                                    e[k] = (float)(e[k] + table[row, col, k]);
                                }
                            }

                            x[cursor++] = e;
                        }
                    }
                }
            }
        }

        double[] invFreq = ReferenceMath.RotaryInverseFrequencies(d / 2, 10000);
        double scale = 1.0 / Math.Sqrt(d);
        for (int layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            string b = $"vision_encoder.trunk.blocks.{layer}.";
            var q = new float[n][];
            var k = new float[n][];
            var v = new float[n][];
            for (int p = 0; p < n; p++)
            {
                float[] h = ReferenceMath.RmsNorm(x[p], _weights[b + "norm_1.weight"], c.RmsNormEps);
                float[] qkv = ReferenceMath.MatVec(_weights[b + "attn.qkv.weight"], h);
                if (c.QkvBias)
                {
                    qkv = VisionReferenceMath.Accumulate(qkv, _weights[b + "attn.qkv.bias"]);
                }

                q[p] = qkv.AsSpan(0, hv).ToArray();
                k[p] = qkv.AsSpan(hv, hv).ToArray();
                v[p] = qkv.AsSpan(2 * hv, hv).ToArray();
                if (!c.DisableRope)
                {
                    for (int head = 0; head < heads; head++)
                    {
                        VisionReferenceMath.Rotate2D(q[p].AsSpan(head * d, d), positions[p], invFreq);
                        VisionReferenceMath.Rotate2D(k[p].AsSpan(head * d, d), positions[p], invFreq);
                    }
                }
            }

            foreach ((int start, int count) in segments)
            {
                List<float[]> keys = k.Skip(start).Take(count).ToList();
                List<float[]> values = v.Skip(start).Take(count).ToList();
                for (int p = start; p < start + count; p++)
                {
                    var attended = new float[hv];
                    for (int head = 0; head < heads; head++)
                    {
                        ReferenceMath.Attend(q[p].AsSpan(head * d, d), keys, values, head * d, count, scale, attended.AsSpan(head * d, d));
                    }

                    float[] o = ReferenceMath.MatVec(_weights[b + "attn.proj.weight"], attended);
                    o = c.UseBias ? VisionReferenceMath.Accumulate(o, _weights[b + "attn.proj.bias"]) : o;
                    VisionReferenceMath.Accumulate(x[p], o);
                }
            }

            for (int p = 0; p < n; p++)
            {
                float[] h = ReferenceMath.RmsNorm(x[p], _weights[b + "norm_2.weight"], c.RmsNormEps);
                float[] gate = Linear(b + "mlp.fc1", h);
                float[] up = Linear(b + "mlp.fc3", h);
                var act = new float[gate.Length];
                for (int i = 0; i < act.Length; i++)
                {
                    act[i] = (float)(ReferenceMath.Silu(gate[i]) * up[i]);
                }

                VisionReferenceMath.Accumulate(x[p], Linear(b + "mlp.fc2", act));
            }
        }

        for (int p = 0; p < n; p++)
        {
            x[p] = ReferenceMath.RmsNorm(x[p], _weights["vision_encoder.trunk.post_trunk_norm.weight"], c.RmsNormEps);
        }

        return x;
    }

    /// <summary>
    /// The position table resized to a (rows, cols) grid, [rows, cols, Hv]: bicubic for <c>two_dim</c> over the square
    /// table, linear for <c>one_dim</c> over the flattened table.
    /// </summary>
    public double[,,] InterpolatedPositions(int rows, int cols)
    {
        float[] table = _weights[Pre + "pos_embed"];
        int hv = Config.HiddenSize, length = table.Length / hv;
        return string.Equals(Config.InterpolatePeMethod, "one_dim", StringComparison.Ordinal)
            ? VisionReferenceMath.ResizeLinear(table, length, hv, rows, cols)
            : VisionReferenceMath.ResizeBicubic(table, (int)Math.Round(Math.Sqrt(length)), hv, rows, cols);
    }

    private float[] Linear(string prefix, float[] x)
    {
        float[] y = ReferenceMath.MatVec(_weights[prefix + ".weight"], x);
        return Config.UseBias ? VisionReferenceMath.Accumulate(y, _weights[prefix + ".bias"]) : y;
    }

    private static IEnumerable<(string Name, long Count)> ExpectedTensors(AndesVisionConfig c, int textHidden)
    {
        long hv = c.HiddenSize, inter = c.IntermediateSize, pixels = (long)c.NumChannels * c.PatchSize * c.PatchSize;
        long merged = hv * c.HiddenStride * c.HiddenStride, grid = c.ImageSize / c.PatchSize;
        yield return (Pre + "patchifier.proj.weight", hv * pixels);
        yield return (Pre + "patchifier.proj.bias", hv);
        yield return (Pre + "patchifier.norm.weight", hv);
        if (c.PreserveOriginalPe)
        {
            yield return (Pre + "pos_embed", grid * grid * hv);
        }

        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            string b = $"vision_encoder.trunk.blocks.{i}.";
            yield return (b + "attn.qkv.weight", 3 * hv * hv);
            if (c.QkvBias)
            {
                yield return (b + "attn.qkv.bias", 3 * hv);
            }

            yield return (b + "attn.proj.weight", hv * hv);
            yield return (b + "norm_1.weight", hv);
            yield return (b + "norm_2.weight", hv);
            yield return (b + "mlp.fc1.weight", inter * hv);
            yield return (b + "mlp.fc3.weight", inter * hv);
            yield return (b + "mlp.fc2.weight", hv * inter);
            if (c.UseBias)
            {
                yield return (b + "attn.proj.bias", hv);
                yield return (b + "mlp.fc1.bias", inter);
                yield return (b + "mlp.fc3.bias", inter);
                yield return (b + "mlp.fc2.bias", hv);
            }
        }

        yield return ("vision_encoder.trunk.post_trunk_norm.weight", hv);
        yield return ("mlp.0.weight", merged * merged);
        yield return ("mlp.0.bias", merged);
        yield return ("mlp.2.weight", textHidden * merged);
        yield return ("mlp.2.bias", textHidden);
    }
}
