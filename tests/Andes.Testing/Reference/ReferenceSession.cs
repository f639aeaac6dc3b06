namespace Andes.Testing.Reference;

/// <summary>
/// A decoding session over a <see cref="Qwen3ReferenceModel"/>: feeds tokens (or embedding rows) chunk by chunk,
/// keeping the rotated keys and the values of every position in a KV cache, and returns logits.
/// A 64-token prompt followed by single-token steps gives the same logits as recomputing the whole sequence.
/// </summary>
/// <remarks>Not thread-safe. Each forward call returns fresh arrays.</remarks>
public sealed class ReferenceSession
{
    private readonly Qwen3ReferenceModel _model;
    private readonly List<float[]>[] _keys;
    private readonly List<float[]>[] _values;
    private float[][] _lastHidden = [];

    internal ReferenceSession(Qwen3ReferenceModel model)
    {
        _model = model;
        int layers = model.Config.NumHiddenLayers;
        _keys = new List<float[]>[layers];
        _values = new List<float[]>[layers];
        for (int i = 0; i < layers; i++)
        {
            _keys[i] = [];
            _values[i] = [];
        }
    }

    /// <summary>The model.</summary>
    public Qwen3ReferenceModel Model => _model;

    /// <summary>Positions processed so far (the length of the KV cache; the position of the next token).</summary>
    public int Length => _keys[0].Count;

    /// <summary>
    /// The final hidden states (after the final RMSNorm: the lm_head input) of the positions of the last forward
    /// call, one hidden_size row each.
    /// </summary>
    public IReadOnlyList<float[]> LastHiddenStates => _lastHidden;

    /// <summary>Feeds tokens and returns the logits of every new position.</summary>
    /// <param name="tokenIds">The next tokens (at least one).</param>
    /// <returns>One vocab_size row per token.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    public float[][] Forward(ReadOnlySpan<int> tokenIds) => Run(_model.Embed(tokenIds), allLogits: true);

    /// <summary>Feeds tokens and returns the logits of the last one only (cheaper: one lm_head product).</summary>
    /// <param name="tokenIds">The next tokens (at least one).</param>
    /// <returns>vocab_size logits.</returns>
    public float[] ForwardLast(ReadOnlySpan<int> tokenIds) => Run(_model.Embed(tokenIds), allLogits: false)[0];

    /// <summary>Feeds embedding rows directly (inputs_embeds, e.g. with image features scattered in).</summary>
    /// <param name="rows">One hidden_size row per position (at least one).</param>
    /// <returns>One vocab_size row per position.</returns>
    /// <exception cref="ArgumentException">A row does not have hidden_size values.</exception>
    public float[][] ForwardEmbeddings(IReadOnlyList<float[]> rows) => Run(CopyRows(rows), allLogits: true);

    /// <summary>Feeds embedding rows and returns the logits of the last position only.</summary>
    /// <param name="rows">One hidden_size row per position (at least one).</param>
    /// <returns>vocab_size logits.</returns>
    public float[] ForwardEmbeddingsLast(IReadOnlyList<float[]> rows) => Run(CopyRows(rows), allLogits: false)[0];

    /// <summary>
    /// The cached keys of a layer (after k_norm and rotary) in the ONNX Runtime present-key layout
    /// [num_key_value_heads, Length, head_dim], flattened.
    /// </summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>A new array.</returns>
    public float[] GetKeyCache(int layer) => ToHeadMajor(_keys[layer]);

    /// <summary>The cached values of a layer in the layout [num_key_value_heads, Length, head_dim], flattened.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>A new array.</returns>
    public float[] GetValueCache(int layer) => ToHeadMajor(_values[layer]);

    /// <summary>Empties the KV cache: the next token is at position 0 again.</summary>
    public void Reset()
    {
        foreach (List<float[]> k in _keys)
        {
            k.Clear();
        }

        foreach (List<float[]> v in _values)
        {
            v.Clear();
        }

        _lastHidden = [];
    }

    private float[][] CopyRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var copy = new float[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null || rows[i].Length != _model.Config.HiddenSize)
            {
                throw new ArgumentException($"Embedding row {i} has {rows[i]?.Length ?? 0} values; hidden_size is {_model.Config.HiddenSize}.", nameof(rows));
            }

            copy[i] = (float[])rows[i].Clone();
        }

        return copy;
    }

    private float[][] Run(float[][] x, bool allLogits)
    {
        if (x.Length == 0)
        {
            throw new ArgumentException("A forward call needs at least one position.", nameof(x));
        }

        var c = _model.Config;
        int start = Length;
        int heads = c.NumAttentionHeads, kvHeads = c.NumKeyValueHeads, d = c.HeadDim;
        int group = heads / kvHeads;
        double scale = 1.0 / Math.Sqrt(d);
        double eps = c.RmsNormEps;
        ReadOnlySpan<double> invFreq = _model.InverseFrequencies;

        for (int layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            float[] inputNorm = _model.GetWeight(_model.LayerWeightName(layer, "input_layernorm.weight"));
            float[] postNorm = _model.GetWeight(_model.LayerWeightName(layer, "post_attention_layernorm.weight"));
            float[] qNorm = _model.GetWeight(_model.LayerWeightName(layer, "self_attn.q_norm.weight"));
            float[] kNorm = _model.GetWeight(_model.LayerWeightName(layer, "self_attn.k_norm.weight"));
            List<float[]> keys = _keys[layer], values = _values[layer];

            // Queries, keys and values of every new position; keys and values join the cache first so that a
            // position sees itself and the earlier positions of its own chunk.
            var queries = new float[x.Length][];
            for (int t = 0; t < x.Length; t++)
            {
                int position = start + t;
                float[] h = ReferenceMath.RmsNorm(x[t], inputNorm, eps);
                float[] q = _model.Linear(_model.LayerWeightName(layer, "self_attn.q_proj.weight"), h);
                float[] k = _model.Linear(_model.LayerWeightName(layer, "self_attn.k_proj.weight"), h);
                float[] v = _model.Linear(_model.LayerWeightName(layer, "self_attn.v_proj.weight"), h);
                NormAndRotate(q, heads, d, qNorm, eps, position, invFreq);
                NormAndRotate(k, kvHeads, d, kNorm, eps, position, invFreq);
                queries[t] = q;
                keys.Add(k);
                values.Add(v);
            }

            for (int t = 0; t < x.Length; t++)
            {
                var attention = new float[heads * d];
                for (int head = 0; head < heads; head++)
                {
                    int kvHead = head / group;
                    ReferenceMath.Attend(
                        queries[t].AsSpan(head * d, d), keys, values, kvHead * d, start + t + 1, scale, attention.AsSpan(head * d, d));
                }

                float[] o = _model.Linear(_model.LayerWeightName(layer, "self_attn.o_proj.weight"), attention);
                Add(x[t], o);

                float[] h2 = ReferenceMath.RmsNorm(x[t], postNorm, eps);
                float[] gate = _model.Linear(_model.LayerWeightName(layer, "mlp.gate_proj.weight"), h2);
                float[] up = _model.Linear(_model.LayerWeightName(layer, "mlp.up_proj.weight"), h2);
                for (int i = 0; i < gate.Length; i++)
                {
                    gate[i] = (float)(ReferenceMath.Silu(gate[i]) * up[i]);
                }

                Add(x[t], _model.Linear(_model.LayerWeightName(layer, "mlp.down_proj.weight"), gate));
            }
        }

        float[] finalNorm = _model.GetWeight(_model.Prefix + "model.norm.weight");
        _lastHidden = new float[x.Length][];
        for (int t = 0; t < x.Length; t++)
        {
            _lastHidden[t] = ReferenceMath.RmsNorm(x[t], finalNorm, eps);
        }

        if (!allLogits)
        {
            return [_model.Linear(_model.LmHeadName, _lastHidden[^1])];
        }

        var logits = new float[x.Length][];
        for (int t = 0; t < x.Length; t++)
        {
            logits[t] = _model.Linear(_model.LmHeadName, _lastHidden[t]);
        }

        return logits;
    }

    private static void NormAndRotate(float[] vector, int heads, int d, float[] norm, double eps, int position, ReadOnlySpan<double> invFreq)
    {
        for (int head = 0; head < heads; head++)
        {
            Span<float> slice = vector.AsSpan(head * d, d);
            ReferenceMath.RmsNorm(slice, norm, eps).CopyTo(slice);
            ReferenceMath.ApplyRotary(slice, position, invFreq);
        }
    }

    private static void Add(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += y[i];
        }
    }

    private float[] ToHeadMajor(List<float[]> rows)
    {
        int kvHeads = _model.Config.NumKeyValueHeads, d = _model.Config.HeadDim, length = rows.Count;
        var result = new float[kvHeads * length * d];
        for (int head = 0; head < kvHeads; head++)
        {
            for (int t = 0; t < length; t++)
            {
                rows[t].AsSpan(head * d, d).CopyTo(result.AsSpan(((head * length) + t) * d, d));
            }
        }

        return result;
    }
}
