using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes the self-attention of each Qwen3 layer (after the q/k head norms): rotary, grouped-query attention over the
/// past and new keys/values, and the present outputs. Two forms: com.microsoft GroupQueryAttention (rotary inside,
/// past/present shareable in place) or ONNX standard operators (explicit rotary, causal + padding mask, concatenated
/// past). The constants both need are written once, here.
/// </summary>
internal sealed class Qwen3Attention
{
    private readonly OnnxGraphBuilder _g;
    private readonly DecoderLayout _layout;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly float _scale;
    private readonly string _cosCache;
    private readonly string _sinCache;
    private readonly string? _positions;

    // GroupQueryAttention bookkeeping.
    private readonly string? _seqLensK;
    private readonly string? _totalLength;

    // Standard-op attention: rotary tables for this call's positions and the additive mask.
    private readonly string? _cos;
    private readonly string? _sin;
    private readonly string? _additiveMask;

    public Qwen3Attention(OnnxGraphBuilder g, Qwen3TextConfig config, string mask, string? positions, int contextLength, DecoderLayout layout)
    {
        _g = g;
        _layout = layout;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _scale = (float)(1.0 / Math.Sqrt(_headDim));
        _positions = positions;
        int d = _headDim;

        Axis1 = g.Vector("const_axis1", 1);
        QHeadsShape = g.Vector("const_q_heads_shape", 0, 0, _heads, d);
        KvHeadsShape = g.Vector("const_kv_heads_shape", 0, 0, _kvHeads, d);
        QFlatShape = g.Vector("const_q_flat_shape", 0, 0, (long)_heads * d);
        KvFlatShape = g.Vector("const_kv_flat_shape", 0, 0, (long)_kvHeads * d);

        (float[] cos, float[] sin) = Qwen3DecoderGraph.RotaryCaches(d, config.RopeTheta, contextLength);
        _cosCache = g.Initializer("rotary_cos_cache", cos, contextLength, d / 2);
        _sinCache = g.Initializer("rotary_sin_cache", sin, contextLength, d / 2);

        string maskShape = g.Node("Shape", [mask], "mask_shape");
        string total = g.Node("Gather", [maskShape, g.Scalar("const_one_scalar", 1)], "mask_width", "", ("axis", 0));
        if (!layout.StandardAttention)
        {
            // seqlens_k = sum(mask) - 1, total = mask width (both int32).
            string maskSum = g.Node("ReduceSum", [mask, Axis1], "mask_sum", "", ("keepdims", 0));
            _seqLensK = g.Node("Cast", [g.Node("Sub", [maskSum, g.Vector("const_one_i64", 1)], "mask_sum_minus_one")], "seqlens_k", "", ("to", OnnxDataType.Int32));
            _totalLength = g.Node("Cast", [total], "total_sequence_length", "", ("to", OnnxDataType.Int32));
            return;
        }

        // Positions of this call's tokens: past_len .. total-1 (or the given position_ids); keys: 0 .. total-1.
        string one = g.Scalar("const_one_step", 1);
        string zero = g.Scalar("const_zero_scalar", 0);
        string embedsShape = g.Node("Shape", [InputForShape()], "query_shape");
        string newLength = g.Node("Gather", [embedsShape, g.Scalar("const_one_index", 1)], "new_length", "", ("axis", 0));
        string pastLength = g.Node("Sub", [total, newLength], "past_length");
        string queryPositions = g.Node("Range", [pastLength, total, one], "query_positions");
        string keyPositions = g.Node("Range", [zero, total, one], "key_positions");
        string axes0 = g.Vector("const_axes0", 0);
        string positionIds = positions ?? g.Node("Unsqueeze", [queryPositions, axes0], "implied_position_ids");

        _cos = RotaryTable(_cosCache, positionIds, "rotary_cos");
        _sin = RotaryTable(_sinCache, positionIds, "rotary_sin");

        string causal = g.Node("LessOrEqual", [g.Node("Unsqueeze", [keyPositions, axes0], "key_positions_row"), g.Node("Unsqueeze", [queryPositions, Axis1], "query_positions_col")], "causal");
        string padding = g.Node("Cast", [g.Node("Unsqueeze", [mask, g.Vector("const_axes_123", 1, 2, 3)], "mask_5d")], "mask_5d_bool", "", ("to", OnnxDataType.Bool));
        string allowed = g.Node("And", [causal, padding], "attention_allowed");
        _additiveMask = g.Node("Where", [allowed, g.Initializer("const_zero_f", [0f]), g.Initializer("const_masked_f", [-1e9f])], "attention_bias");

        string RotaryTable(string cache, string ids, string name)
        {
            string half = g.Node("Gather", [cache, ids], name + "_half", "", ("axis", 0)); // [B, S, d/2]
            string full = g.Node("Concat", [half, half], name + "_full", "", ("axis", -1)); // [B, S, d]
            return g.Node("Unsqueeze", [full, Axis1], name); // [B, 1, S, d]
        }
    }

    public string Axis1 { get; }

    public string QHeadsShape { get; }

    public string KvHeadsShape { get; }

    public string QFlatShape { get; }

    public string KvFlatShape { get; }

    /// <summary>Emits layer <paramref name="layer"/>'s attention; returns the output [B, S, heads*head_dim].</summary>
    public string Emit(int layer, string q, string k, string v, string prefix)
    {
        (string pastKey, string pastValue) = PastInputs(layer, prefix);
        bool combined = _layout.CombinedKeyValues;
        string presentKey = combined ? prefix + "present_key" : Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PresentKeyFormat, layer);
        string presentValue = combined ? prefix + "present_value" : Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PresentValueFormat, layer);

        string output;
        if (!_layout.StandardAttention)
        {
            var inputs = new List<string> { q, k, v, pastKey, pastValue, _seqLensK!, _totalLength!, _cosCache, _sinCache };
            if (_positions is not null)
            {
                inputs.Add(_positions);
            }

            string[] outs = _g.Node(
                "GroupQueryAttention",
                inputs,
                [prefix + "attn", presentKey, presentValue],
                "com.microsoft",
                ("num_heads", _heads),
                ("kv_num_heads", _kvHeads),
                ("scale", _scale),
                ("do_rotary", 1),
                ("rotary_interleaved", 0),
                ("local_window_size", -1));
            output = outs[0];
            presentKey = outs[1];
            presentValue = outs[2];
        }
        else
        {
            (output, presentKey, presentValue) = StandardAttention(q, k, v, pastKey, pastValue, presentKey, presentValue, prefix);
        }

        if (combined)
        {
            string axes0 = "const_axes0_kv";
            if (layer == 0)
            {
                _g.Vector(axes0, 0);
            }

            string keys = _g.Node("Unsqueeze", [presentKey, axes0], prefix + "present_key_5d");
            string values = _g.Node("Unsqueeze", [presentValue, axes0], prefix + "present_value_5d");
            _g.Node("Concat", [keys, values], Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PresentCombinedFormat, layer), "", ("axis", 0));
        }

        return output;
    }

    private (string Key, string Value) PastInputs(int layer, string prefix)
    {
        if (!_layout.CombinedKeyValues)
        {
            return (Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PastKeyFormat, layer), Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PastValueFormat, layer));
        }

        if (layer == 0)
        {
            _g.Scalar("const_kv_key_index", 0);
            _g.Scalar("const_kv_value_index", 1);
        }

        string past = Qwen3DecoderGraph.Name(Qwen3DecoderGraph.PastCombinedFormat, layer);
        return (
            _g.Node("Gather", [past, "const_kv_key_index"], prefix + "past_key", "", ("axis", 0)),
            _g.Node("Gather", [past, "const_kv_value_index"], prefix + "past_value", "", ("axis", 0)));
    }

    private (string Output, string PresentKey, string PresentValue) StandardAttention(string q, string k, string v, string pastKey, string pastValue, string presentKeyName, string presentValueName, string prefix)
    {
        OnnxGraphBuilder g = _g;
        int groups = _heads / _kvHeads, d = _headDim;
        long[] toHeadsFirst = [0, 2, 1, 3];
        string q4 = g.Node("Transpose", [g.Node("Reshape", [q, QHeadsShape], prefix + "q_4d")], prefix + "q_bhsd", "", ("perm", toHeadsFirst));
        string k4 = g.Node("Transpose", [g.Node("Reshape", [k, KvHeadsShape], prefix + "k_4d")], prefix + "k_bhsd", "", ("perm", toHeadsFirst));
        string v4 = g.Node("Transpose", [g.Node("Reshape", [v, KvHeadsShape], prefix + "v_4d")], prefix + "v_bhsd", "", ("perm", toHeadsFirst));
        string qRot = Rotate(q4, prefix + "q_rot");
        string kRot = Rotate(k4, prefix + "k_rot");

        string presentKey = g.Node("Concat", [pastKey, kRot], presentKeyName, "", ("axis", 2));
        string presentValue = g.Node("Concat", [pastValue, v4], presentValueName, "", ("axis", 2));

        string groupedShape = "const_grouped_q_shape";
        string mergedShape = "const_merged_heads_shape";
        string axes2 = "const_axes2";
        if (prefix == "layers.0.")
        {
            g.Vector(groupedShape, 0, _kvHeads, groups, -1, d);
            g.Vector(mergedShape, 0, _heads, -1, d);
            g.Vector(axes2, 2);
        }

        string q5 = g.Node("Reshape", [qRot, groupedShape], prefix + "q_grouped"); // [B, kvH, G, S, d]
        string k5 = g.Node("Unsqueeze", [presentKey, axes2], prefix + "k_grouped"); // [B, kvH, 1, T, d]
        string kT = g.Node("Transpose", [k5], prefix + "k_grouped_t", "", ("perm", new long[] { 0, 1, 2, 4, 3 }));
        string scores = g.Node("MatMul", [q5, kT], prefix + "scores");
        string scaled = g.Node("Mul", [scores, g.Initializer(prefix + "scale", [_scale])], prefix + "scores_scaled");
        string masked = g.Node("Add", [scaled, _additiveMask!], prefix + "scores_masked");
        string probs = g.Node("Softmax", [masked], prefix + "probs", "", ("axis", -1));
        string v5 = g.Node("Unsqueeze", [presentValue, axes2], prefix + "v_grouped");
        string context = g.Node("MatMul", [probs, v5], prefix + "context_grouped"); // [B, kvH, G, S, d]
        string merged = g.Node("Reshape", [context, mergedShape], prefix + "context_bhsd");
        string bshd = g.Node("Transpose", [merged], prefix + "context_bshd", "", ("perm", toHeadsFirst));
        return (g.Node("Reshape", [bshd, QFlatShape], prefix + "attn"), presentKey, presentValue);

        string Rotate(string x, string name)
        {
            string[] halves = g.Node("Split", [x], [name + "_x1", name + "_x2"], "", ("axis", -1), ("num_outputs", 2));
            string rotated = g.Node("Concat", [g.Node("Neg", [halves[1]], name + "_neg_x2"), halves[0]], name + "_rotated", "", ("axis", -1));
            return g.Node("Add", [g.Node("Mul", [x, _cos!], name + "_cos"), g.Node("Mul", [rotated, _sin!], name + "_sin")], name);
        }
    }

    private string InputForShape() => _layout.TokenIdsInput ? Qwen3DecoderGraph.InputIds : Qwen3DecoderGraph.InputsEmbeds;
}
