using Andes.ModelBuilder;
namespace Andes.Testing.Reference;

/// <summary>
/// A plain, loop-based SigLIP2 vision tower (as the model spec describes AndesVL-0.6B's) and the connector: patch
/// linear + bias, the square position table sampled bicubically at each patch centre, pre-LayerNorm blocks with
/// biased q/k/v/out projections, 2-D rotary embedding, attention inside each image, MLP fc2(gelu_tanh(fc1 x)), post
/// LayerNorm, 2x2 merge and the connector (Linear, exact GELU, Linear).
/// </summary>
public sealed class SigLip2ReferenceModel
{
    private const string Model = "vision_encoder.vision_model.";
    private readonly Dictionary<string, float[]> _weights = new(StringComparer.Ordinal);

    /// <summary>Reads and checks every weight of the tower and the connector.</summary>
    /// <param name="config">The vision configuration.</param>
    /// <param name="textHiddenSize">The connector's output width.</param>
    /// <param name="weights">Returns a tensor by name, or null when absent.</param>
    public SigLip2ReferenceModel(AndesVisionConfig config, int textHiddenSize, Func<string, float[]?> weights)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        Config = config;
        long hv = config.HiddenSize, inter = config.IntermediateSize, merged = hv * config.HiddenStride * config.HiddenStride;
        long pixels = (long)config.NumChannels * config.PatchSize * config.PatchSize, grid = config.ImageSize / config.PatchSize;
        var expected = new List<(string, long)>
        {
            (Model + "embeddings.proj.weight", hv * pixels),
            (Model + "embeddings.proj.bias", hv),
            (Model + "embeddings.pos_embed.weight", grid * grid * hv),
            (Model + "post_layernorm.weight", hv),
            (Model + "post_layernorm.bias", hv),
            ("mlp.0.weight", merged * merged),
            ("mlp.0.bias", merged),
            ("mlp.2.weight", textHiddenSize * merged),
            ("mlp.2.bias", textHiddenSize),
        };
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string l = $"{Model}encoder.layers.{i}.";
            foreach (string p in new[] { "q", "k", "v", "out" })
            {
                expected.Add(($"{l}self_attn.{p}_proj.weight", hv * hv));
                expected.Add(($"{l}self_attn.{p}_proj.bias", hv));
            }

            expected.AddRange([(l + "layer_norm1.weight", hv), (l + "layer_norm1.bias", hv), (l + "layer_norm2.weight", hv), (l + "layer_norm2.bias", hv)]);
            expected.AddRange([(l + "mlp.fc1.weight", inter * hv), (l + "mlp.fc1.bias", inter), (l + "mlp.fc2.weight", hv * inter), (l + "mlp.fc2.bias", hv)]);
        }

        VisionReferenceMath.ReadWeights(expected, weights, _weights);
    }

    /// <summary>The vision configuration.</summary>
    public AndesVisionConfig Config { get; }

    /// <summary>Runs the tower and the connector; same contract as <see cref="AimV2ReferenceModel.Forward"/>.</summary>
    /// <param name="pixelValues">[N, C*p*p] patches in 2x2-group order, images concatenated.</param>
    /// <param name="grids">Each image's grid (rows, cols) in patches.</param>
    /// <returns>One language-model row per 2x2 group.</returns>
    public float[][] Forward(ReadOnlySpan<float> pixelValues, IReadOnlyList<(int Rows, int Cols)> grids)
    {
        AndesVisionConfig c = Config;
        int hv = c.HiddenSize, heads = c.NumAttentionHeads, d = hv / heads, merge = c.HiddenStride;
        int pixels = c.NumChannels * c.PatchSize * c.PatchSize;
        int side = c.ImageSize / c.PatchSize;
        double eps = c.LayerNormEps ?? 1e-6;
        Func<double, double> act = c.HiddenAct == "gelu" ? VisionReferenceMath.Gelu : VisionReferenceMath.GeluTanh;
        int n = grids.Sum(g => g.Rows * g.Cols);
        var positions = new (int Row, int Col)[n];
        var segments = new (int Start, int Count)[grids.Count];
        var x = new float[n][];
        int cursor = 0;
        for (int m = 0; m < grids.Count; m++)
        {
            (int rows, int cols) = grids[m];
            segments[m] = (cursor, rows * cols);
            double[,,] table = VisionReferenceMath.ResizeBicubic(_weights[Model + "embeddings.pos_embed.weight"], side, hv, rows, cols);
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
                            float[] e = Linear(Model + "embeddings.proj", pixelValues.Slice(cursor * pixels, pixels));
                            for (int k = 0; k < hv; k++)
                            {
                                e[k] = (float)(e[k] + table[row, col, k]);
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
            string l = $"{Model}encoder.layers.{layer}.";
            var q = new float[n][];
            var k = new float[n][];
            var v = new float[n][];
            for (int p = 0; p < n; p++)
            {
                float[] h = VisionReferenceMath.LayerNorm(x[p], _weights[l + "layer_norm1.weight"], _weights[l + "layer_norm1.bias"], eps);
                q[p] = Linear(l + "self_attn.q_proj", h);
                k[p] = Linear(l + "self_attn.k_proj", h);
                v[p] = Linear(l + "self_attn.v_proj", h);
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

                    VisionReferenceMath.Accumulate(x[p], Linear(l + "self_attn.out_proj", attended));
                }
            }

            for (int p = 0; p < n; p++)
            {
                float[] h = VisionReferenceMath.LayerNorm(x[p], _weights[l + "layer_norm2.weight"], _weights[l + "layer_norm2.bias"], eps);
                float[] hidden = Linear(l + "mlp.fc1", h);
                for (int i = 0; i < hidden.Length; i++)
                {
                    hidden[i] = (float)act(hidden[i]);
                }

                VisionReferenceMath.Accumulate(x[p], Linear(l + "mlp.fc2", hidden));
            }
        }

        var normed = x.Select(row => VisionReferenceMath.LayerNorm(row, _weights[Model + "post_layernorm.weight"], _weights[Model + "post_layernorm.bias"], eps)).ToArray();
        return VisionReferenceMath.Connector(normed, merge * merge, _weights);
    }

    private float[] Linear(string prefix, ReadOnlySpan<float> x)
    {
        return VisionReferenceMath.Accumulate(ReferenceMath.MatVec(_weights[prefix + ".weight"], x), _weights[prefix + ".bias"]);
    }
}
