using Andes.ModelBuilder;
namespace Andes.Testing.Reference;

/// <summary>
/// A plain, loop-based Qwen3 language model (the AndesVL text decoder), independent of ONNX Runtime, used by tests to
/// check the exported decoder. It holds the weights; <see cref="CreateSession"/> gives a stateful decoding session
/// with a KV cache.
/// </summary>
/// <remarks>
/// <para>Weights come from a provider returning a tensor by its Hugging Face name (e.g.
/// <c>language_model.model.layers.0.self_attn.q_proj.weight</c>), or null when it has no such tensor. When
/// <c>language_model.lm_head.weight</c> is absent the embedding is used (tied). All known tensors are read and
/// length-checked at construction.</para>
/// <para>Every matrix product goes through <see cref="Linear"/>, so merged (e.g. LoRA) or dequantised weights are
/// swapped in through the provider. Immutable after construction: sessions may run on several threads.</para>
/// </remarks>
public sealed class Qwen3ReferenceModel
{
    /// <summary>The tensor-name prefix of the language model inside an AndesVL checkpoint.</summary>
    public const string AndesVLPrefix = "language_model.";

    private readonly Dictionary<string, float[]> _weights = new(StringComparer.Ordinal);
    private readonly double[] _inverseFrequencies;

    /// <summary>Reads and checks every weight of the model.</summary>
    /// <param name="config">The text configuration (shapes, eps, rope theta).</param>
    /// <param name="weights">Returns a tensor (row-major float32) by full name, or null when absent.</param>
    /// <param name="prefix">The prefix of every name (<see cref="AndesVLPrefix"/>; empty for a bare Qwen3 checkpoint).</param>
    /// <exception cref="ArgumentException">A configuration value is invalid, or a tensor is missing or has the wrong
    /// number of elements (the message names it).</exception>
    public Qwen3ReferenceModel(Qwen3TextConfig config, Func<string, float[]?> weights, string prefix = AndesVLPrefix)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(prefix);
        CheckConfig(config);
        Config = config;
        Prefix = prefix;

        int h = config.HiddenSize, q = config.NumAttentionHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim;
        int inter = config.IntermediateSize, d = config.HeadDim;
        Load(weights, EmbeddingName, (long)config.VocabSize * h);
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            Load(weights, LayerWeightName(i, "input_layernorm.weight"), h);
            Load(weights, LayerWeightName(i, "post_attention_layernorm.weight"), h);
            Load(weights, LayerWeightName(i, "self_attn.q_proj.weight"), (long)q * h);
            Load(weights, LayerWeightName(i, "self_attn.k_proj.weight"), (long)kv * h);
            Load(weights, LayerWeightName(i, "self_attn.v_proj.weight"), (long)kv * h);
            Load(weights, LayerWeightName(i, "self_attn.o_proj.weight"), (long)h * q);
            Load(weights, LayerWeightName(i, "self_attn.q_norm.weight"), d);
            Load(weights, LayerWeightName(i, "self_attn.k_norm.weight"), d);
            Load(weights, LayerWeightName(i, "mlp.gate_proj.weight"), (long)inter * h);
            Load(weights, LayerWeightName(i, "mlp.up_proj.weight"), (long)inter * h);
            Load(weights, LayerWeightName(i, "mlp.down_proj.weight"), (long)h * inter);
        }

        Load(weights, prefix + "model.norm.weight", h);
        string lmHead = prefix + "lm_head.weight";
        float[]? head = weights(lmHead);
        if (head is null)
        {
            LmHeadName = EmbeddingName;
        }
        else
        {
            Check(lmHead, head, (long)config.VocabSize * h);
            _weights[lmHead] = head;
            LmHeadName = lmHead;
        }

        _inverseFrequencies = ReferenceMath.RotaryInverseFrequencies(d, config.RopeTheta);
    }

    /// <summary>The text configuration.</summary>
    public Qwen3TextConfig Config { get; }

    /// <summary>The tensor-name prefix (<c>language_model.</c> for AndesVL).</summary>
    public string Prefix { get; }

    /// <summary>The name of the embedding matrix [vocab, hidden].</summary>
    public string EmbeddingName => Prefix + "model.embed_tokens.weight";

    /// <summary>The name of the output projection used: <c>lm_head.weight</c>, or the embedding when tied.</summary>
    public string LmHeadName { get; }

    /// <summary>Whether the output projection is the embedding matrix (no <c>lm_head.weight</c> was provided).</summary>
    public bool TiedEmbeddings => LmHeadName == EmbeddingName;

    /// <summary>The full name of a per-layer tensor, e.g. (0, "self_attn.q_proj.weight").</summary>
    /// <param name="layer">The layer index.</param>
    /// <param name="suffix">The name after <c>model.layers.{layer}.</c>.</param>
    /// <returns>The Hugging Face name.</returns>
    public string LayerWeightName(int layer, string suffix) => $"{Prefix}model.layers.{layer}.{suffix}";

    /// <summary>A loaded tensor by full name (the same array the model uses: do not modify it).</summary>
    /// <param name="name">The Hugging Face name.</param>
    /// <returns>The row-major data.</returns>
    /// <exception cref="KeyNotFoundException">The model has no tensor of that name.</exception>
    public float[] GetWeight(string name) =>
        _weights.TryGetValue(name, out float[]? w) ? w : throw new KeyNotFoundException($"The reference model has no tensor '{name}'.");

    /// <summary>The embedding row of a token (a copy).</summary>
    /// <param name="tokenId">The token id.</param>
    /// <returns>hidden_size values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside the vocabulary.</exception>
    public float[] Embed(int tokenId)
    {
        if ((uint)tokenId >= (uint)Config.VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenId), tokenId, $"Token id {tokenId} is outside the vocabulary of {Config.VocabSize}.");
        }

        int h = Config.HiddenSize;
        return _weights[EmbeddingName].AsSpan(tokenId * h, h).ToArray();
    }

    /// <summary>The embedding rows of a token sequence (copies), e.g. to scatter image features into.</summary>
    /// <param name="tokenIds">The ids.</param>
    /// <returns>One hidden_size row per id.</returns>
    public float[][] Embed(ReadOnlySpan<int> tokenIds)
    {
        var rows = new float[tokenIds.Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = Embed(tokenIds[i]);
        }

        return rows;
    }

    /// <summary>
    /// The one linear operation of the model: y = x W^T for the PyTorch weight W [out, in] named
    /// <paramref name="weightName"/> (no bias). The output projection (vocab rows) is split over threads.
    /// </summary>
    /// <param name="weightName">The full Hugging Face name of the weight.</param>
    /// <param name="input">x, length in.</param>
    /// <returns>y, length out.</returns>
    public float[] Linear(string weightName, ReadOnlySpan<float> input)
    {
        float[] w = GetWeight(weightName);
        if (w.Length % input.Length != 0)
        {
            throw new ArgumentException($"'{weightName}' has {w.Length} elements, not a whole number of rows of {input.Length}.", nameof(input));
        }

        return ReferenceMath.MatVec(w, input, parallel: (long)w.Length >= 1 << 20);
    }

    /// <summary>Starts a decoding session with an empty KV cache.</summary>
    /// <returns>The session.</returns>
    public ReferenceSession CreateSession() => new(this);

    internal ReadOnlySpan<double> InverseFrequencies => _inverseFrequencies;

    private void Load(Func<string, float[]?> weights, string name, long expected)
    {
        float[] w = weights(name) ?? throw new ArgumentException($"The weights provide no tensor '{name}'.", nameof(weights));
        Check(name, w, expected);
        _weights[name] = w;
    }

    private void Check(string name, float[] w, long expected)
    {
        if (w.LongLength != expected)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has {w.LongLength} elements; the configuration (hidden {Config.HiddenSize}, intermediate {Config.IntermediateSize}, " +
                $"heads {Config.NumAttentionHeads}/{Config.NumKeyValueHeads} x {Config.HeadDim}, vocab {Config.VocabSize}) needs {expected}.",
                "weights");
        }
    }

    private static void CheckConfig(Qwen3TextConfig c)
    {
        static void Positive(int value, string field)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"text_config.{field} must be positive, not {value}.", "config");
            }
        }

        Positive(c.HiddenSize, "hidden_size");
        Positive(c.IntermediateSize, "intermediate_size");
        Positive(c.NumHiddenLayers, "num_hidden_layers");
        Positive(c.NumAttentionHeads, "num_attention_heads");
        Positive(c.NumKeyValueHeads, "num_key_value_heads");
        Positive(c.HeadDim, "head_dim");
        Positive(c.VocabSize, "vocab_size");
        if (c.NumAttentionHeads % c.NumKeyValueHeads != 0)
        {
            throw new ArgumentException(
                $"text_config.num_attention_heads ({c.NumAttentionHeads}) must be a multiple of num_key_value_heads ({c.NumKeyValueHeads}).", "config");
        }

        if (c.HeadDim % 2 != 0)
        {
            throw new ArgumentException($"text_config.head_dim must be even for rotary embeddings, not {c.HeadDim}.", "config");
        }

        if (!(c.RmsNormEps >= 0) || !(c.RopeTheta > 0))
        {
            throw new ArgumentException($"text_config.rms_norm_eps ({c.RmsNormEps}) must be >= 0 and rope_theta ({c.RopeTheta}) > 0.", "config");
        }
    }
}
