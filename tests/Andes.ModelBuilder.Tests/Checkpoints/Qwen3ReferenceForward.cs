using System.Numerics.Tensors;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.Checkpoints;

/// <summary>
/// A plain-loop Qwen3 forward pass over a generated checkpoint (no cache, recomputed per step), only to check that
/// the generated weights make a usable model: RMSNorm, q/k norm, rotate-half RoPE, grouped-query causal attention,
/// SwiGLU, tied embeddings.
/// </summary>
internal sealed class Qwen3ReferenceForward
{
    private const string Prefix = "language_model.model.";

    private readonly Qwen3TextConfig _c;
    private readonly float[] _embedding;
    private readonly float[] _finalNorm;
    private readonly Layer[] _layers;

    public Qwen3ReferenceForward(ITensorSource source, Qwen3TextConfig config)
    {
        _c = config;
        int h = config.HiddenSize, q = config.NumAttentionHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim, i = config.IntermediateSize;
        _embedding = source.ReadFloat32($"{Prefix}embed_tokens.weight", config.VocabSize, h);
        _finalNorm = source.ReadFloat32($"{Prefix}norm.weight", h);
        _layers = Enumerable.Range(0, config.NumHiddenLayers).Select(l =>
        {
            string p = $"{Prefix}layers.{l}.";
            return new Layer(
                source.ReadFloat32($"{p}input_layernorm.weight", h),
                source.ReadFloat32($"{p}self_attn.q_proj.weight", q, h),
                source.ReadFloat32($"{p}self_attn.k_proj.weight", kv, h),
                source.ReadFloat32($"{p}self_attn.v_proj.weight", kv, h),
                source.ReadFloat32($"{p}self_attn.q_norm.weight", config.HeadDim),
                source.ReadFloat32($"{p}self_attn.k_norm.weight", config.HeadDim),
                source.ReadFloat32($"{p}self_attn.o_proj.weight", h, q),
                source.ReadFloat32($"{p}post_attention_layernorm.weight", h),
                source.ReadFloat32($"{p}mlp.gate_proj.weight", i, h),
                source.ReadFloat32($"{p}mlp.up_proj.weight", i, h),
                source.ReadFloat32($"{p}mlp.down_proj.weight", h, i));
        }).ToArray();
    }

    /// <summary>The logits after the last token of <paramref name="tokens"/>.</summary>
    public float[] LastLogits(IReadOnlyList<int> tokens)
    {
        int n = tokens.Count, h = _c.HiddenSize, d = _c.HeadDim, heads = _c.NumAttentionHeads, kvHeads = _c.NumKeyValueHeads;
        var x = new float[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = _embedding.AsSpan(tokens[t] * h, h).ToArray();
        }

        foreach (Layer layer in _layers)
        {
            var qs = new float[n][];
            var ks = new float[n][];
            var vs = new float[n][];
            for (int t = 0; t < n; t++)
            {
                float[] normed = RmsNorm(x[t], layer.InputNorm);
                qs[t] = MatVec(layer.Q, normed, heads * d);
                ks[t] = MatVec(layer.K, normed, kvHeads * d);
                vs[t] = MatVec(layer.V, normed, kvHeads * d);
                for (int head = 0; head < heads; head++)
                {
                    HeadNormAndRope(qs[t].AsSpan(head * d, d), layer.QNorm, t);
                }

                for (int head = 0; head < kvHeads; head++)
                {
                    HeadNormAndRope(ks[t].AsSpan(head * d, d), layer.KNorm, t);
                }
            }

            for (int t = 0; t < n; t++)
            {
                float[] attended = new float[heads * d];
                for (int head = 0; head < heads; head++)
                {
                    int kvHead = head / (heads / kvHeads);
                    float[] scores = new float[t + 1];
                    for (int s = 0; s <= t; s++)
                    {
                        scores[s] = TensorPrimitives.Dot(qs[t].AsSpan(head * d, d), ks[s].AsSpan(kvHead * d, d)) / MathF.Sqrt(d);
                    }

                    TensorPrimitives.SoftMax(scores, scores);
                    for (int s = 0; s <= t; s++)
                    {
                        TensorPrimitives.MultiplyAdd(vs[s].AsSpan(kvHead * d, d), scores[s], attended.AsSpan(head * d, d), attended.AsSpan(head * d, d));
                    }
                }

                TensorPrimitives.Add(x[t], MatVec(layer.O, attended, h), x[t]);
            }

            for (int t = 0; t < n; t++)
            {
                float[] normed = RmsNorm(x[t], layer.PostNorm);
                float[] gate = MatVec(layer.Gate, normed, _c.IntermediateSize);
                float[] up = MatVec(layer.Up, normed, _c.IntermediateSize);
                for (int j = 0; j < gate.Length; j++)
                {
                    gate[j] = gate[j] / (1 + MathF.Exp(-gate[j])) * up[j];
                }

                TensorPrimitives.Add(x[t], MatVec(layer.Down, gate, h), x[t]);
            }
        }

        return MatVec(_embedding, RmsNorm(x[n - 1], _finalNorm), _c.VocabSize);
    }

    private float[] RmsNorm(ReadOnlySpan<float> v, float[] weight)
    {
        float scale = 1 / MathF.Sqrt((TensorPrimitives.SumOfSquares(v) / v.Length) + (float)_c.RmsNormEps);
        float[] result = new float[v.Length];
        TensorPrimitives.Multiply(v, scale, result);
        TensorPrimitives.Multiply(result, weight, result);
        return result;
    }

    private void HeadNormAndRope(Span<float> head, float[] norm, int position)
    {
        RmsNorm(head, norm).CopyTo(head);
        int half = head.Length / 2;
        for (int j = 0; j < half; j++)
        {
            double angle = position * Math.Pow(_c.RopeTheta, -2.0 * j / head.Length);
            float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
            float a = head[j], b = head[j + half];
            head[j] = (a * cos) - (b * sin);
            head[j + half] = (b * cos) + (a * sin);
        }
    }

    private static float[] MatVec(float[] matrix, ReadOnlySpan<float> v, int rows)
    {
        float[] result = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            result[r] = TensorPrimitives.Dot(matrix.AsSpan(r * v.Length, v.Length), v);
        }

        return result;
    }

    private sealed record Layer(float[] InputNorm, float[] Q, float[] K, float[] V, float[] QNorm, float[] KNorm, float[] O, float[] PostNorm, float[] Gate, float[] Up, float[] Down);
}
