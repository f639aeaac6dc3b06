using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.Reference;

/// <summary>
/// An independent, whole-sequence matrix formulation of the Qwen3 forward (no KV cache, no shared code with the
/// reference): X [S, H] through each layer with Q = X Wq^T, per-head RMSNorm, rotation matrices R(pos), a causal
/// mask and softmax(Q K^T / sqrt(D) + mask) V per head, then the SwiGLU MLP, final norm and lm_head.
/// </summary>
internal sealed class MatrixQwen3Forward(Qwen3TextConfig config, IReadOnlyDictionary<string, float[]> weights, string prefix = "language_model.")
{
    /// <summary>Keys after norm and rotation, per layer: [S, kvHeads * D].</summary>
    public List<double[,]> Keys { get; } = [];

    /// <summary>Values per layer: [S, kvHeads * D].</summary>
    public List<double[,]> Values { get; } = [];

    /// <summary>Logits [S, vocab] of a token sequence.</summary>
    public double[,] Logits(int[] ids)
    {
        int s = ids.Length, hidden = config.HiddenSize;
        double[,] embed = Matrix("model.embed_tokens.weight", config.VocabSize, hidden);
        var x = new double[s, hidden];
        for (int t = 0; t < s; t++)
        {
            for (int i = 0; i < hidden; i++)
            {
                x[t, i] = embed[ids[t], i];
            }
        }

        return LogitsFromEmbeddings(x);
    }

    public double[,] LogitsFromEmbeddings(double[,] x)
    {
        int s = x.GetLength(0), hidden = config.HiddenSize, heads = config.NumAttentionHeads, kvHeads = config.NumKeyValueHeads, d = config.HeadDim;
        Keys.Clear();
        Values.Clear();
        x = (double[,])x.Clone();
        for (int layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            string l = $"model.layers.{layer}.";
            double[,] h = NormRows(x, Vector(l + "input_layernorm.weight"));
            double[,] q = MatMul(h, Transpose(Matrix(l + "self_attn.q_proj.weight", heads * d, hidden)));
            double[,] k = MatMul(h, Transpose(Matrix(l + "self_attn.k_proj.weight", kvHeads * d, hidden)));
            double[,] v = MatMul(h, Transpose(Matrix(l + "self_attn.v_proj.weight", kvHeads * d, hidden)));
            q = RotateHeads(NormHeads(q, heads, Vector(l + "self_attn.q_norm.weight")), heads);
            k = RotateHeads(NormHeads(k, kvHeads, Vector(l + "self_attn.k_norm.weight")), kvHeads);
            Keys.Add(k);
            Values.Add(v);

            var attention = new double[s, heads * d];
            for (int head = 0; head < heads; head++)
            {
                int kvHead = head / (heads / kvHeads);
                double[,] qh = Columns(q, head * d, d), kh = Columns(k, kvHead * d, d), vh = Columns(v, kvHead * d, d);
                double[,] scores = MatMul(qh, Transpose(kh));
                for (int i = 0; i < s; i++)
                {
                    for (int j = 0; j < s; j++)
                    {
                        scores[i, j] = j <= i ? scores[i, j] / Math.Sqrt(d) : double.NegativeInfinity;
                    }
                }

                double[,] oh = MatMul(SoftmaxRows(scores), vh);
                for (int i = 0; i < s; i++)
                {
                    for (int c = 0; c < d; c++)
                    {
                        attention[i, (head * d) + c] = oh[i, c];
                    }
                }
            }

            x = Add(x, MatMul(attention, Transpose(Matrix(l + "self_attn.o_proj.weight", hidden, heads * d))));
            double[,] h2 = NormRows(x, Vector(l + "post_attention_layernorm.weight"));
            double[,] gate = MatMul(h2, Transpose(Matrix(l + "mlp.gate_proj.weight", config.IntermediateSize, hidden)));
            double[,] up = MatMul(h2, Transpose(Matrix(l + "mlp.up_proj.weight", config.IntermediateSize, hidden)));
            var act = new double[s, config.IntermediateSize];
            for (int i = 0; i < s; i++)
            {
                for (int c = 0; c < config.IntermediateSize; c++)
                {
                    act[i, c] = gate[i, c] / (1 + Math.Exp(-gate[i, c])) * up[i, c];
                }
            }

            x = Add(x, MatMul(act, Transpose(Matrix(l + "mlp.down_proj.weight", hidden, config.IntermediateSize))));
        }

        double[,] final = NormRows(x, Vector("model.norm.weight"));
        string lmHead = weights.ContainsKey(prefix + "lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight";
        return MatMul(final, Transpose(Matrix(lmHead, config.VocabSize, hidden)));
    }

    private double[,] RotateHeads(double[,] m, int heads)
    {
        int s = m.GetLength(0), d = config.HeadDim, half = d / 2;
        var result = new double[s, m.GetLength(1)];
        for (int t = 0; t < s; t++)
        {
            // The rotation matrix of position t, D x D.
            var r = new double[d, d];
            for (int j = 0; j < half; j++)
            {
                double angle = t / Math.Pow(config.RopeTheta, 2.0 * j / d);
                r[j, j] = Math.Cos(angle);
                r[j, j + half] = -Math.Sin(angle);
                r[j + half, j + half] = Math.Cos(angle);
                r[j + half, j] = Math.Sin(angle);
            }

            for (int head = 0; head < heads; head++)
            {
                for (int i = 0; i < d; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < d; j++)
                    {
                        sum += r[i, j] * m[t, (head * d) + j];
                    }

                    result[t, (head * d) + i] = sum;
                }
            }
        }

        return result;
    }

    private double[,] NormHeads(double[,] m, int heads, double[] w)
    {
        int s = m.GetLength(0), d = config.HeadDim;
        var result = new double[s, m.GetLength(1)];
        for (int head = 0; head < heads; head++)
        {
            double[,] normed = NormRows(Columns(m, head * d, d), w);
            for (int t = 0; t < s; t++)
            {
                for (int c = 0; c < d; c++)
                {
                    result[t, (head * d) + c] = normed[t, c];
                }
            }
        }

        return result;
    }

    private double[,] NormRows(double[,] m, double[] w)
    {
        int s = m.GetLength(0), n = m.GetLength(1);
        var result = new double[s, n];
        for (int t = 0; t < s; t++)
        {
            double meanSquare = 0;
            for (int c = 0; c < n; c++)
            {
                meanSquare += m[t, c] * m[t, c] / n;
            }

            for (int c = 0; c < n; c++)
            {
                result[t, c] = m[t, c] / Math.Sqrt(meanSquare + config.RmsNormEps) * w[c];
            }
        }

        return result;
    }

    private static double[,] SoftmaxRows(double[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var result = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < cols; j++)
            {
                max = Math.Max(max, m[i, j]);
            }

            for (int j = 0; j < cols; j++)
            {
                result[i, j] = Math.Exp(m[i, j] - max);
                sum += result[i, j];
            }

            for (int j = 0; j < cols; j++)
            {
                result[i, j] /= sum;
            }
        }

        return result;
    }

    private static double[,] Columns(double[,] m, int start, int count)
    {
        var result = new double[m.GetLength(0), count];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int c = 0; c < count; c++)
            {
                result[i, c] = m[i, start + c];
            }
        }

        return result;
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var result = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                result[i, j] = a[i, j] + b[i, j];
            }
        }

        return result;
    }

    internal static double[,] MatMul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        Assert.Equal(k, b.GetLength(0));
        var result = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double av = a[i, p];
                for (int j = 0; j < m; j++)
                {
                    result[i, j] += av * b[p, j];
                }
            }
        }

        return result;
    }

    internal static double[,] Transpose(double[,] a)
    {
        var result = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                result[j, i] = a[i, j];
            }
        }

        return result;
    }

    private double[,] Matrix(string name, int rows, int cols)
    {
        float[] w = weights[prefix + name];
        Assert.Equal(rows * cols, w.Length);
        var result = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                result[i, j] = w[(i * cols) + j];
            }
        }

        return result;
    }

    private double[] Vector(string name) => Array.ConvertAll(weights[prefix + name], v => (double)v);
}
