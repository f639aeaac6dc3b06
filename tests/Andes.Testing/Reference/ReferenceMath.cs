using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Andes.Testing.Reference;

/// <summary>
/// The building blocks of the reference Qwen3 forward, written straight from the math in plain loops with double
/// accumulation. Public so tests can check each one on its own.
/// </summary>
public static class ReferenceMath
{
    /// <summary>RMSNorm: y = v / sqrt(mean(v^2) + eps) * weight.</summary>
    /// <param name="v">The vector.</param>
    /// <param name="weight">The per-element gain (same length as <paramref name="v"/>).</param>
    /// <param name="eps">Epsilon added to the mean square.</param>
    /// <returns>A new normalised vector.</returns>
    public static float[] RmsNorm(ReadOnlySpan<float> v, ReadOnlySpan<float> weight, double eps)
    {
        if (weight.Length != v.Length)
        {
            throw new ArgumentException($"RMSNorm weight has {weight.Length} elements, the input {v.Length}.", nameof(weight));
        }

        double sumSquares = 0;
        for (int i = 0; i < v.Length; i++)
        {
            sumSquares += (double)v[i] * v[i];
        }

        double inv = 1.0 / Math.Sqrt((sumSquares / v.Length) + eps);
        var y = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            y[i] = (float)(v[i] * inv * weight[i]);
        }

        return y;
    }

    /// <summary>SiLU: x * sigmoid(x).</summary>
    /// <param name="x">The input.</param>
    /// <returns>x / (1 + e^-x).</returns>
    public static double Silu(double x) => x / (1.0 + Math.Exp(-x));

    /// <summary>
    /// The rotary inverse frequencies of one head: inv_freq[j] = theta^(-2j / headDim) for j &lt; headDim / 2.
    /// </summary>
    /// <param name="headDim">The rotated dimension (even).</param>
    /// <param name="theta">The rotary base (rope_theta).</param>
    /// <returns>headDim / 2 frequencies.</returns>
    public static double[] RotaryInverseFrequencies(int headDim, double theta)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "The rotary dimension must be positive and even.");
        }

        var inv = new double[headDim / 2];
        for (int j = 0; j < inv.Length; j++)
        {
            inv[j] = Math.Pow(theta, -2.0 * j / headDim);
        }

        return inv;
    }

    /// <summary>
    /// Rotate-half (non-interleaved) rotary embedding of one head vector, in place: with d = headDim / 2 and
    /// a = position * invFreq[j], out[j] = x[j] cos a - x[j + d] sin a, out[j + d] = x[j + d] cos a + x[j] sin a.
    /// </summary>
    /// <param name="head">One head's vector (2 * invFreq.Length elements), rotated in place.</param>
    /// <param name="position">The token's position.</param>
    /// <param name="inverseFrequencies">From <see cref="RotaryInverseFrequencies"/>.</param>
    public static void ApplyRotary(Span<float> head, int position, ReadOnlySpan<double> inverseFrequencies)
    {
        int half = inverseFrequencies.Length;
        if (head.Length != 2 * half)
        {
            throw new ArgumentException($"The head has {head.Length} elements; {half} frequencies rotate {2 * half}.", nameof(head));
        }

        for (int j = 0; j < half; j++)
        {
            double angle = position * inverseFrequencies[j];
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double x1 = head[j], x2 = head[j + half];
            head[j] = (float)((x1 * cos) - (x2 * sin));
            head[j + half] = (float)((x2 * cos) + (x1 * sin));
        }
    }

    /// <summary>
    /// Scaled dot-product attention of one query head over the given keys and values (the caller applies the causal
    /// limit by passing only the visible positions): softmax(q . k_j * scale) weighted sum of v_j.
    /// </summary>
    /// <param name="query">The query head (length D).</param>
    /// <param name="keys">Visible keys, each with this head's slice at <paramref name="offset"/>.</param>
    /// <param name="values">Visible values, same layout.</param>
    /// <param name="offset">Where the key/value head starts inside each cached row (kvHead * D).</param>
    /// <param name="count">How many cached positions are visible (the first <paramref name="count"/>).</param>
    /// <param name="scale">The logit scale (1 / sqrt(D)).</param>
    /// <param name="output">Receives the D-long result.</param>
    public static void Attend(ReadOnlySpan<float> query, IReadOnlyList<float[]> keys, IReadOnlyList<float[]> values, int offset, int count, double scale, Span<float> output)
    {
        if (count <= 0 || count > keys.Count || count > values.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Attention needs 1..{Math.Min(keys.Count, values.Count)} visible positions.");
        }

        int d = query.Length;
        var scores = new double[count];
        double max = double.NegativeInfinity;
        for (int j = 0; j < count; j++)
        {
            float[] k = keys[j];
            double dot = 0;
            for (int i = 0; i < d; i++)
            {
                dot += (double)query[i] * k[offset + i];
            }

            scores[j] = dot * scale;
            max = Math.Max(max, scores[j]);
        }

        double total = 0;
        for (int j = 0; j < count; j++)
        {
            scores[j] = Math.Exp(scores[j] - max);
            total += scores[j];
        }

        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < count; j++)
            {
                sum += scores[j] * values[j][offset + i];
            }

            output[i] = (float)(sum / total);
        }
    }

    /// <summary>y = W x for a row-major W [out, in]: y[o] = sum_i W[o, i] x[i] (PyTorch Linear without bias).</summary>
    /// <param name="weight">W, out x in, row-major.</param>
    /// <param name="input">x, length in.</param>
    /// <param name="parallel">Split the output rows over threads (worth it for large W such as lm_head).</param>
    /// <returns>A new vector of length out.</returns>
    public static float[] MatVec(float[] weight, ReadOnlySpan<float> input, bool parallel = false)
    {
        int k = input.Length;
        if (k == 0 || weight.Length % k != 0)
        {
            throw new ArgumentException($"A weight of {weight.Length} elements is not a whole number of rows of {k}.", nameof(weight));
        }

        int n = weight.Length / k;
        var y = new float[n];
        if (!parallel)
        {
            for (int o = 0; o < n; o++)
            {
                y[o] = Dot(weight.AsSpan(o * k, k), input);
            }

            return y;
        }

        float[] x = input.ToArray();
        const int Chunk = 1024;
        Parallel.For(0, (n + Chunk - 1) / Chunk, c =>
        {
            int end = Math.Min(n, (c + 1) * Chunk);
            for (int o = c * Chunk; o < end; o++)
            {
                y[o] = Dot(weight.AsSpan(o * k, k), x);
            }
        });
        return y;
    }

    /// <summary>sum row[i] * x[i], accumulated in double (SIMD: floats widened to doubles, exact products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> row, ReadOnlySpan<float> x)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var low = Vector<double>.Zero;
            var high = Vector<double>.Zero;
            ReadOnlySpan<Vector<float>> rv = MemoryMarshal.Cast<float, Vector<float>>(row);
            ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x[..row.Length]);
            for (int v = 0; v < rv.Length; v++)
            {
                Vector.Widen(rv[v], out Vector<double> r0, out Vector<double> r1);
                Vector.Widen(xv[v], out Vector<double> x0, out Vector<double> x1);
                low += r0 * x0;
                high += r1 * x1;
            }

            sum = Vector.Sum(low + high);
            i = rv.Length * Vector<float>.Count;
        }

        for (; i < row.Length; i++)
        {
            sum += (double)row[i] * x[i];
        }

        return (float)sum;
    }
}
