using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Andes.ModelBuilder;
namespace Andes.Testing.Reference;

/// <summary>
/// Weight providers for <see cref="Qwen3ReferenceModel"/>: from a checkpoint, from a dictionary, seeded random
/// weights with the real names, and a wrapper that replaces the linear weights by their quantised-then-dequantised
/// values (what a MatMulNBits decoder effectively multiplies by).
/// </summary>
public static class ReferenceWeights
{
    /// <summary>Reads tensors from a checkpoint as float32 (null for a name the checkpoint lacks).</summary>
    /// <param name="source">The checkpoint; it must outlive the provider's use.</param>
    /// <returns>The provider.</returns>
    public static Func<string, float[]?> FromTensorSource(ITensorSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return name =>
        {
            if (!source.Contains(name))
            {
                return null;
            }

            long count = source.GetInfo(name).ElementCount;
            var data = new float[count];
            source.ReadFloat32(name, 0, data);
            return data;
        };
    }

    /// <summary>Serves tensors from a dictionary (null for a missing name).</summary>
    /// <param name="tensors">The tensors by full name.</param>
    /// <returns>The provider.</returns>
    public static Func<string, float[]?> FromDictionary(IReadOnlyDictionary<string, float[]> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return name => tensors.TryGetValue(name, out float[]? w) ? w : null;
    }

    /// <summary>
    /// Seeded random weights for every tensor of a Qwen3 text model, with the real names: linear weights and the
    /// embedding N(0, <paramref name="std"/>), norm weights 1 + N(0, 0.1).
    /// </summary>
    /// <param name="config">The shapes.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="std">Standard deviation of the matrices.</param>
    /// <param name="includeLmHead">Whether to add a separate <c>lm_head.weight</c> (untied).</param>
    /// <param name="prefix">The name prefix (<see cref="Qwen3ReferenceModel.AndesVLPrefix"/> by default).</param>
    /// <returns>The tensors by name.</returns>
    public static Dictionary<string, float[]> CreateRandom(
        Qwen3TextConfig config, int seed, double std = 0.02, bool includeLmHead = false, string prefix = Qwen3ReferenceModel.AndesVLPrefix)
    {
        ArgumentNullException.ThrowIfNull(config);
        var random = new Random(seed);
        int h = config.HiddenSize, q = config.NumAttentionHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim;
        int inter = config.IntermediateSize, d = config.HeadDim;
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        void Matrix(string name, long count) => tensors[prefix + name] = Gaussian(random, count, 0, std);
        void Norm(string name, int count) => tensors[prefix + name] = Gaussian(random, count, 1, 0.1);

        Matrix("model.embed_tokens.weight", (long)config.VocabSize * h);
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            string l = $"model.layers.{i}.";
            Norm(l + "input_layernorm.weight", h);
            Norm(l + "post_attention_layernorm.weight", h);
            Matrix(l + "self_attn.q_proj.weight", (long)q * h);
            Matrix(l + "self_attn.k_proj.weight", (long)kv * h);
            Matrix(l + "self_attn.v_proj.weight", (long)kv * h);
            Matrix(l + "self_attn.o_proj.weight", (long)h * q);
            Norm(l + "self_attn.q_norm.weight", d);
            Norm(l + "self_attn.k_norm.weight", d);
            Matrix(l + "mlp.gate_proj.weight", (long)inter * h);
            Matrix(l + "mlp.up_proj.weight", (long)inter * h);
            Matrix(l + "mlp.down_proj.weight", (long)h * inter);
        }

        Norm("model.norm.weight", h);
        if (includeLmHead)
        {
            Matrix("lm_head.weight", (long)config.VocabSize * h);
        }

        return tensors;
    }

    /// <summary>
    /// Wraps a provider so that the selected linear weights come back quantised with <see cref="BlockQuantizer"/> and
    /// dequantised: the weights a MatMulNBits decoder built with the same options really multiplies by. Results are
    /// cached. Other tensors pass through unchanged.
    /// </summary>
    /// <param name="weights">The original provider.</param>
    /// <param name="config">The shapes (to know each weight's K).</param>
    /// <param name="options">The quantisation options.</param>
    /// <param name="include">Which names to quantise; by default every <c>*_proj.weight</c> of the decoder layers.</param>
    /// <returns>The wrapping provider.</returns>
    public static Func<string, float[]?> WithQuantizedLinears(
        Func<string, float[]?> weights, Qwen3TextConfig config, QuantizationOptions options, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        include ??= IsLayerProjection;
        var cache = new ConcurrentDictionary<string, float[]?>(StringComparer.Ordinal);
        return name => cache.GetOrAdd(name, n =>
        {
            float[]? w = weights(n);
            if (w is null || !include(n))
            {
                return w;
            }

            int k = InputFeatures(n, config);
            if (w.Length % k != 0)
            {
                throw new ArgumentException($"Tensor '{n}' has {w.Length} elements, not a whole number of rows of K = {k}.", nameof(weights));
            }

            return BlockQuantizer.Dequantize(BlockQuantizer.Quantize(w, w.Length / k, k, options));
        });
    }

    /// <summary>
    /// Wraps a provider so that the named matrices come back quantised with <see cref="BlockQuantizer"/> and
    /// dequantised, each with the given input features K. Results are cached; other tensors pass through.
    /// </summary>
    /// <param name="weights">The original provider.</param>
    /// <param name="inputFeatures">The names to quantise, with their K.</param>
    /// <param name="options">The quantisation options.</param>
    /// <returns>The wrapping provider.</returns>
    public static Func<string, float[]?> WithQuantizedMatrices(Func<string, float[]?> weights, IReadOnlyDictionary<string, int> inputFeatures, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(inputFeatures);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var cache = new ConcurrentDictionary<string, float[]?>(StringComparer.Ordinal);
        return name => cache.GetOrAdd(name, n =>
        {
            float[]? w = weights(n);
            if (w is null || !inputFeatures.TryGetValue(n, out int k))
            {
                return w;
            }

            return BlockQuantizer.Dequantize(BlockQuantizer.Quantize(w, w.Length / k, k, options));
        });
    }

    /// <summary>Whether a name is a decoder-layer projection weight (<c>self_attn.*_proj</c> or <c>mlp.*_proj</c>).</summary>
    /// <param name="name">The tensor name.</param>
    /// <returns>True for the seven projections of each layer.</returns>
    public static bool IsLayerProjection(string name) =>
        name.Contains("model.layers.", StringComparison.Ordinal)
        && name.EndsWith("_proj.weight", StringComparison.Ordinal)
        && (name.Contains(".self_attn.", StringComparison.Ordinal) || name.Contains(".mlp.", StringComparison.Ordinal));

    private static int InputFeatures(string name, Qwen3TextConfig config)
    {
        if (name.EndsWith("o_proj.weight", StringComparison.Ordinal))
        {
            return config.NumAttentionHeads * config.HeadDim;
        }

        if (name.EndsWith("down_proj.weight", StringComparison.Ordinal))
        {
            return config.IntermediateSize;
        }

        if (name.EndsWith("_proj.weight", StringComparison.Ordinal)
            || name.EndsWith("lm_head.weight", StringComparison.Ordinal)
            || name.EndsWith("embed_tokens.weight", StringComparison.Ordinal))
        {
            return config.HiddenSize;
        }

        throw new ArgumentException($"Cannot tell the input features (K) of '{name}' to quantise it.", nameof(name));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Gaussian(Random random, long count, double mean, double std)
    {
        // Box-Muller, both outputs used.
        var result = new float[count];
        for (long i = 0; i < count; i += 2)
        {
            double radius = std * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * random.NextDouble());
            result[i] = (float)(mean + (radius * cos));
            if (i + 1 < count)
            {
                result[i + 1] = (float)(mean + (radius * sin));
            }
        }

        return result;
    }
}
