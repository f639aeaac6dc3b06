namespace Andes.Testing.Reference;

/// <summary>
/// Vision building blocks of the reference towers, written from PyTorch's definitions in plain loops: bicubic and
/// linear resizing of position tables, exact and tanh GELU, erf, the 2-D rotary embedding, LayerNorm.
/// </summary>
public static class VisionReferenceMath
{
    /// <summary>PyTorch's cubic convolution coefficient.</summary>
    public const double CubicA = -0.75;

    /// <summary>
    /// PyTorch's <c>upsample_bicubic2d</c> (align_corners false, no antialias) of a [side, side, channels] table to
    /// [rows, cols, channels]: source index scale * (i + 0.5) - 0.5 with scale = side / out in float, taps floor - 1
    /// .. floor + 2 clamped to the table, Keys' kernel with a = -0.75.
    /// </summary>
    public static double[,,] ResizeBicubic(float[] table, int side, int channels, int rows, int cols)
    {
        var result = new double[rows, cols, channels];
        for (int oy = 0; oy < rows; oy++)
        {
            (int iy, double[] wy) = CubicTaps(side, rows, oy);
            for (int ox = 0; ox < cols; ox++)
            {
                (int ix, double[] wx) = CubicTaps(side, cols, ox);
                for (int i = 0; i < 4; i++)
                {
                    int sy = Math.Clamp(iy - 1 + i, 0, side - 1);
                    for (int j = 0; j < 4; j++)
                    {
                        int sx = Math.Clamp(ix - 1 + j, 0, side - 1);
                        double w = wy[i] * wx[j];
                        int offset = ((sy * side) + sx) * channels;
                        for (int ch = 0; ch < channels; ch++)
                        {
                            result[oy, ox, ch] += w * table[offset + ch];
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// PyTorch's <c>upsample_linear1d</c> (align_corners false) of a [length, channels] sequence to rows*cols entries,
    /// returned as [rows, cols, channels] (row-major): source index max(0, scale * (i + 0.5) - 0.5), second tap clamped.
    /// </summary>
    public static double[,,] ResizeLinear(float[] table, int length, int channels, int rows, int cols)
    {
        var result = new double[rows, cols, channels];
        float scale = (float)length / (rows * cols);
        for (int o = 0; o < rows * cols; o++)
        {
            float real = Math.Max((scale * (o + 0.5f)) - 0.5f, 0f);
            int i0 = (int)real;
            int i1 = i0 + (i0 < length - 1 ? 1 : 0);
            double l1 = Math.Clamp(real - i0, 0, 1), l0 = 1 - l1;
            for (int ch = 0; ch < channels; ch++)
            {
                result[o / cols, o % cols, ch] = (l0 * table[(i0 * channels) + ch]) + (l1 * table[(i1 * channels) + ch]);
            }
        }

        return result;
    }

    /// <summary>The exact GELU: x * Phi(x) = x / 2 * (1 + erf(x / sqrt 2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf by the everywhere-convergent series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)) (all
    /// terms positive: no cancellation), to double precision.
    /// </summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax > 6)
        {
            return Math.Sign(x);
        }

        double term = ax, sum = ax, x2 = ax * ax;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * x2 / ((2 * n) + 1);
            sum += term;
        }

        double value = 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        return x < 0 ? -value : value;
    }

    private static (int Floor, double[] Weights) CubicTaps(int inputSize, int outputSize, int index)
    {
        float scale = (float)inputSize / outputSize;
        float real = (scale * (index + 0.5f)) - 0.5f;
        int floor = (int)MathF.Floor(real);
        double t = Math.Clamp(real - floor, 0, 1);
        return (floor, [Outer(t + 1), Inner(t), Inner(1 - t), Outer(2 - t)]);

        static double Inner(double x) => ((((CubicA + 2) * x) - (CubicA + 3)) * x * x) + 1;

        static double Outer(double x) => ((((CubicA * x) - (5 * CubicA)) * x) + (8 * CubicA)) * x - (4 * CubicA);
    }

    /// <summary>Rotate-half rotary of one head, in place, with angles concat(row * f, col * f) duplicated to the head size.</summary>
    /// <param name="head">One head's vector.</param>
    /// <param name="position">The patch's (row, col).</param>
    /// <param name="invFreq">head_size / 4 inverse frequencies.</param>
    public static void Rotate2D(Span<float> head, (int Row, int Col) position, double[] invFreq)
    {
        int half = head.Length / 2, quarter = invFreq.Length;
        for (int j = 0; j < half; j++)
        {
            double angle = j < quarter ? position.Row * invFreq[j] : position.Col * invFreq[j - quarter];
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double x1 = head[j], x2 = head[j + half];
            head[j] = (float)((x1 * cos) - (x2 * sin));
            head[j + half] = (float)((x2 * cos) + (x1 * sin));
        }
    }

    /// <summary>The tanh approximation of GELU (PyTorch's <c>gelu(approximate='tanh')</c>, SigLIP's <c>gelu_pytorch_tanh</c>).</summary>
    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x))));

    /// <summary>LayerNorm: (v - mean) / sqrt(var + eps) * weight + bias, with the biased variance.</summary>
    public static float[] LayerNorm(ReadOnlySpan<float> v, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, double eps)
    {
        double mean = 0;
        foreach (float x in v)
        {
            mean += x;
        }

        mean /= v.Length;
        double variance = 0;
        foreach (float x in v)
        {
            variance += (x - mean) * (x - mean);
        }

        double inv = 1 / Math.Sqrt((variance / v.Length) + eps);
        var y = new float[v.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = (float)(((v[i] - mean) * inv * weight[i]) + bias[i]);
        }

        return y;
    }

    /// <summary>
    /// Reads every expected tensor from <paramref name="weights"/> into <paramref name="into"/>, checking its element
    /// count; the shared loading step of the reference towers.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is missing or has the wrong number of elements.</exception>
    public static void ReadWeights(IEnumerable<(string Name, long Count)> expected, Func<string, float[]?> weights, IDictionary<string, float[]> into)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(into);
        foreach ((string name, long count) in expected)
        {
            float[] w = weights(name) ?? throw new ArgumentException($"The weights provide no tensor '{name}'.", nameof(weights));
            if (w.LongLength != count)
            {
                throw new ArgumentException($"Tensor '{name}' has {w.LongLength} elements; the configuration needs {count}.", nameof(weights));
            }

            into[name] = w;
        }
    }

    /// <summary>x += delta, element by element (a residual add, or a bias onto a product).</summary>
    /// <returns><paramref name="x"/>.</returns>
    public static float[] Accumulate(float[] x, float[] delta)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += delta[i];
        }

        return x;
    }

    /// <summary>
    /// AndesVL's connector over the tower's output rows: each 2x2 group (consecutive <paramref name="group"/> rows)
    /// concatenated, then Linear, exact GELU, Linear (weights <c>mlp.0</c> and <c>mlp.2</c>, with biases).
    /// </summary>
    /// <returns>One row per group.</returns>
    public static float[][] Connector(IReadOnlyList<float[]> tokens, int group, IReadOnlyDictionary<string, float[]> weights)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(weights);
        int width = tokens.Count == 0 ? 0 : tokens[0].Length;
        var features = new float[tokens.Count / group][];
        for (int t = 0; t < features.Length; t++)
        {
            var row = new float[group * width];
            for (int j = 0; j < group; j++)
            {
                tokens[(t * group) + j].CopyTo(row, j * width);
            }

            float[] hidden = Accumulate(ReferenceMath.MatVec(weights["mlp.0.weight"], row), weights["mlp.0.bias"]);
            for (int i = 0; i < hidden.Length; i++)
            {
                hidden[i] = (float)Gelu(hidden[i]);
            }

            features[t] = Accumulate(ReferenceMath.MatVec(weights["mlp.2.weight"], hidden), weights["mlp.2.bias"]);
        }

        return features;
    }
}
