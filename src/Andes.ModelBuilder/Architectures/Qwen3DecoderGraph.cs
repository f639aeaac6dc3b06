using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes the Qwen3 decoder in the ONNX Runtime GenAI layout: <c>inputs_embeds</c> + <c>attention_mask</c> +
/// <c>past_key_values.%d.key/value</c> (+ optional <c>num_logits_to_keep</c>) in, <c>logits</c> (the last position only,
/// unless more are asked for) + <c>present.%d.key/value</c> out, on
/// the fast CPU contrib operators (GroupQueryAttention with rotary inside, SkipSimplifiedLayerNormalization,
/// MatMulNBits for quantised linears).
/// </summary>
internal sealed class Qwen3DecoderGraph
{
    public const string InputsEmbeds = "inputs_embeds";
    public const string AttentionMask = "attention_mask";
    public const string Logits = "logits";
    public const string PastKeyFormat = "past_key_values.%d.key";
    public const string PastValueFormat = "past_key_values.%d.value";
    public const string PresentKeyFormat = "present.%d.key";
    public const string PresentValueFormat = "present.%d.value";
    public const string PastCombinedFormat = "past_%d";
    public const string PresentCombinedFormat = "present_%d";
    public const string InputIds = "input_ids";
    public const string PositionIds = "position_ids";

    /// <summary>
    /// How many last positions get logits: an int64 [1] input that defaults to 1 (an overridable initializer), so ONNX
    /// Runtime GenAI, which does not feed it, and every prompt pass compute the last position's only; speculative
    /// decoding feeds k + 1 to verify k drafted tokens in one pass.
    /// </summary>
    public const string NumLogitsToKeep = "num_logits_to_keep";

    /// <summary>The logits of the last <see cref="NumLogitsToKeep"/> positions, [batch, k, vocab]; <see cref="Logits"/> is its last row.</summary>
    public const string KeptLogits = "kept_logits";

    private readonly Qwen3TextConfig _config;
    private readonly ConversionContext _context;
    private readonly LinearLayerWriter _linears;
    private readonly int _contextLength;

    public Qwen3DecoderGraph(Qwen3TextConfig config, ConversionContext context, int contextLength)
    {
        _config = config;
        _context = context;
        _contextLength = contextLength;
        _linears = new LinearLayerWriter(context);
    }

    public static string Name(string format, int layer) => format.Replace("%d", layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Writes the decoder into <paramref name="g"/>.</summary>
    public void Build(OnnxGraphBuilder g)
    {
        Qwen3TextConfig c = _config;
        DecoderLayout layout = _context.Options.Layout;
        int h = c.HiddenSize, heads = c.NumAttentionHeads, kvHeads = c.NumKeyValueHeads, d = c.HeadDim;
        float eps = (float)c.RmsNormEps;
        int idType = layout.Int32Inputs ? OnnxDataType.Int32 : OnnxDataType.Int64;

        string x;
        string? ids = null;
        if (layout.TokenIdsInput)
        {
            ids = g.Input(InputIds, idType, "batch_size", "sequence_length");
        }
        else
        {
            x = g.Input(InputsEmbeds, OnnxDataType.Float, "batch_size", "sequence_length", h);
        }

        string mask = g.Input(AttentionMask, idType, "batch_size", "total_sequence_length");
        string? positions = layout.PositionIds ? g.Input(PositionIds, idType, "batch_size", "sequence_length") : null;
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            if (layout.CombinedKeyValues)
            {
                g.Input(Name(PastCombinedFormat, i), OnnxDataType.Float, 2, "batch_size", kvHeads, "past_sequence_length", d);
            }
            else
            {
                g.Input(Name(PastKeyFormat, i), OnnxDataType.Float, "batch_size", kvHeads, "past_sequence_length", d);
                g.Input(Name(PastValueFormat, i), OnnxDataType.Float, "batch_size", kvHeads, "past_sequence_length", d);
            }
        }

        g.Vector(NumLogitsToKeep, 1);
        g.ExposeInitializerAsInput(NumLogitsToKeep, OnnxDataType.Int64, 1);
        // `logits` keeps its one position: ONNX Runtime GenAI sizes its buffer from that dimension (a symbolic one makes it
        // expect every prompt position), and ONNX Runtime refuses a caller's buffer of another shape. The k positions
        // asked for by num_logits_to_keep come out as `kept_logits`; `logits` is their last row, so one lm_head serves both.
        g.Output(Logits, OnnxDataType.Float, "batch_size", 1, c.VocabSize);
        g.Output(KeptLogits, OnnxDataType.Float, "batch_size", NumLogitsToKeep, c.VocabSize);
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            if (layout.CombinedKeyValues)
            {
                g.Output(Name(PresentCombinedFormat, i), OnnxDataType.Float, 2, "batch_size", kvHeads, "total_sequence_length", d);
            }
            else
            {
                g.Output(Name(PresentKeyFormat, i), OnnxDataType.Float, "batch_size", kvHeads, "total_sequence_length", d);
                g.Output(Name(PresentValueFormat, i), OnnxDataType.Float, "batch_size", kvHeads, "total_sequence_length", d);
            }
        }

        x = ids is null ? InputsEmbeds : new EmbeddingGraph(c, _context).EmitLookup(g, ids, "embeds");
        string mask64 = layout.Int32Inputs ? g.Node("Cast", [mask], "mask_i64", "", ("to", OnnxDataType.Int64)) : mask;
        string? positions64 = positions is null ? null : layout.Int32Inputs ? g.Node("Cast", [positions], "position_ids_i64", "", ("to", OnnxDataType.Int64)) : positions;

        var attention = new Qwen3Attention(g, c, mask64, positions64, _contextLength, layout);

        // With LoRA inputs (GroupQueryAttention layout) the residual stream is 2-D [batch * sequence, hidden], so each
        // branch's B product and the add onto the base linear are one Gemm (C = the base output); q/k/v go back to 3-D for
        // the attention and its output to 2-D for o_proj. The base decoder stripped from it computes the same values.
        bool flat = _context.Options.LoraTargets != LoraTargets.None && !layout.StandardAttention;
        _linears.Flat = flat;
        string qHeadsShape = attention.QHeadsShape, kvHeadsShape = attention.KvHeadsShape, qFlatShape = attention.QFlatShape, kvFlatShape = attention.KvFlatShape;
        string? hidden3Shape = null, attnFlatShape = null;
        if (flat)
        {
            string batchAndSequence = g.Node("Slice", [g.Node("Shape", [x], "embeds_shape"), g.Vector("const_zero_start", 0), g.Vector("const_two_end", 2)], "batch_and_sequence");
            qFlatShape = g.Node("Concat", [batchAndSequence, g.Vector("const_q_width", (long)heads * d)], "q_3d_shape", "", ("axis", 0));
            kvFlatShape = g.Node("Concat", [batchAndSequence, g.Vector("const_kv_width", (long)kvHeads * d)], "kv_3d_shape", "", ("axis", 0));
            hidden3Shape = g.Node("Concat", [batchAndSequence, g.Vector("const_hidden_width", h)], "hidden_3d_shape", "", ("axis", 0));
            qHeadsShape = g.Vector("const_q_heads_2d_shape", -1, heads, d);
            kvHeadsShape = g.Vector("const_kv_heads_2d_shape", -1, kvHeads, d);
            attnFlatShape = g.Vector("const_attn_2d_shape", -1, (long)heads * d);
            x = g.Node("Reshape", [x, g.Vector("const_hidden_2d_shape", -1, h)], "embeds_2d");
            _context.FlatReshapes.Add(x);
        }

        string residual = x;
        string? pending = null; // the last sub-layer's output, not yet added to the residual
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            _context.CancellationToken.ThrowIfCancellationRequested();
            string p = $"layers.{i}.";
            string inNorm = NormWeight(g, Qwen3TensorNames.InputNorm(i), h);
            string hidden;
            if (pending is null)
            {
                hidden = g.Node("SimplifiedLayerNormalization", [residual, inNorm], p + "input_norm", "", ("axis", -1), ("epsilon", eps));
            }
            else
            {
                string[] outs = g.Node("SkipSimplifiedLayerNormalization", [pending, residual, inNorm], [p + "input_norm", "", "", p + "residual_attn"], "com.microsoft", ("epsilon", eps));
                hidden = outs[0];
                residual = outs[3];
            }

            string[] qkv = _linears.EmitShared(g, hidden, h, i, _context.Options.Precision, [
                (LoraTargets.QProj, Qwen3TensorNames.QProj(i), heads * d, p + "q_proj"),
                (LoraTargets.KProj, Qwen3TensorNames.KProj(i), kvHeads * d, p + "k_proj"),
                (LoraTargets.VProj, Qwen3TensorNames.VProj(i), kvHeads * d, p + "v_proj")]);
            string q = qkv[0], k = qkv[1], v = qkv[2];

            q = HeadNorm(g, q, Qwen3TensorNames.QNorm(i), d, eps, qHeadsShape, qFlatShape, p + "q_norm", flat ? (attention.QHeadsShape, attention.QFlatShape) : null);
            k = HeadNorm(g, k, Qwen3TensorNames.KNorm(i), d, eps, kvHeadsShape, kvFlatShape, p + "k_norm", flat ? (attention.KvHeadsShape, attention.KvFlatShape) : null);
            if (flat)
            {
                v = g.Node("Reshape", [v, kvFlatShape], p + "v_3d");
                _context.FlatReshapes.Add(v);
            }

            string attn = attention.Emit(i, q, k, v, p);
            if (flat)
            {
                attn = g.Node("Reshape", [attn, attnFlatShape!], p + "attn_2d");
                _context.FlatReshapes.Add(attn);
            }

            string o = _linears.Emit(g, attn, Qwen3TensorNames.OProj(i), h, heads * d, _context.Options.Precision, p + "o_proj", lora: (i, LoraTargets.OProj));

            string postNorm = NormWeight(g, Qwen3TensorNames.PostAttentionNorm(i), h);
            string[] post = g.Node("SkipSimplifiedLayerNormalization", [o, residual, postNorm], [p + "post_attention_norm", "", "", p + "residual_mlp"], "com.microsoft", ("epsilon", eps));
            residual = post[3];

            string[] gateUp = _linears.EmitShared(g, post[0], h, i, _context.Options.Precision, [
                (LoraTargets.GateProj, Qwen3TensorNames.GateProj(i), c.IntermediateSize, p + "gate_proj"),
                (LoraTargets.UpProj, Qwen3TensorNames.UpProj(i), c.IntermediateSize, p + "up_proj")]);
            string gate = gateUp[0], up = gateUp[1];
            string silu = g.Node("Mul", [gate, g.Node("Sigmoid", [gate], p + "gate_sigmoid")], p + "gate_silu");
            string act = g.Node("Mul", [silu, up], p + "mlp_act");
            pending = _linears.Emit(g, act, Qwen3TensorNames.DownProj(i), h, c.IntermediateSize, _context.Options.Precision, p + "down_proj", lora: (i, LoraTargets.DownProj));
        }

        // Only the last num_logits_to_keep positions' logits (1 unless fed): slice before the final norm and the lm_head.
        if (flat)
        {
            pending = g.Node("Reshape", [pending!, hidden3Shape!], "mlp_out_3d");
            residual = g.Node("Reshape", [residual, hidden3Shape!], "residual_3d");
            _context.FlatReshapes.Add(pending);
            _context.FlatReshapes.Add(residual);
        }

        string sliceStart = g.Node("Neg", [NumLogitsToKeep], "logits_start");
        string sliceStartLast = g.Vector("const_minus_one", -1);
        string sliceEnd = g.Vector("const_int64_max", long.MaxValue);
        string lastPending = g.Node("Slice", [pending!, sliceStart, sliceEnd, attention.Axis1], "last_mlp_out");
        string lastResidual = g.Node("Slice", [residual, sliceStart, sliceEnd, attention.Axis1], "last_residual");
        string finalNorm = NormWeight(g, Qwen3TensorNames.FinalNorm, h);
        string[] final = g.Node("SkipSimplifiedLayerNormalization", [lastPending, lastResidual, finalNorm], ["final_norm", "", "", ""], "com.microsoft", ("epsilon", eps));

        string lmHeadName = c.TieWordEmbeddings || !_context.Source.Contains(Qwen3TensorNames.LmHead) ? Qwen3TensorNames.EmbedTokens : Qwen3TensorNames.LmHead;
        _linears.Emit(g, final[0], lmHeadName, c.VocabSize, h, _context.Options.EffectiveLmHeadPrecision, KeptLogits, recordAs: Qwen3TensorNames.LmHead);
        g.Node("Slice", [KeptLogits, sliceStartLast, sliceEnd, attention.Axis1], Logits);
    }

    /// <summary>Rotary caches for GroupQueryAttention: cos/sin of pos * theta^(-2j/d), shape [positions, d/2].</summary>
    internal static (float[] Cos, float[] Sin) RotaryCaches(int headDim, double theta, int positions)
    {
        int half = headDim / 2;
        var invFreq = new double[half];
        for (int j = 0; j < half; j++)
        {
            invFreq[j] = Math.Pow(theta, -2.0 * j / headDim);
        }

        var cos = new float[(long)positions * half];
        var sin = new float[(long)positions * half];
        for (int pos = 0; pos < positions; pos++)
        {
            for (int j = 0; j < half; j++)
            {
                double angle = pos * invFreq[j];
                cos[(pos * half) + j] = (float)Math.Cos(angle);
                sin[(pos * half) + j] = (float)Math.Sin(angle);
            }
        }

        return (cos, sin);
    }

    private string NormWeight(OnnxGraphBuilder g, string name, int size)
    {
        float[] w = _context.ReadAll(name, size);
        g.Initializer(name, w, size);
        _context.Record(new TensorConversionRecord(name, [size], WeightPrecision.Float32, (long)size * 4, 0, 0));
        return name;
    }

    // baseShapes: for 2-D activations, the 3-D layout's shapes, which the stripped base decoder uses instead.
    private string HeadNorm(OnnxGraphBuilder g, string x, string weightName, int headDim, float eps, string headsShape, string flatShape, string outName, (string Heads, string Flat)? baseShapes)
    {
        string w = NormWeight(g, weightName, headDim);
        string perHead = g.Node("Reshape", [x, headsShape], outName + "_heads");
        string normed = g.Node("SimplifiedLayerNormalization", [perHead, w], outName + "_normed", "", ("axis", -1), ("epsilon", eps));
        string output = g.Node("Reshape", [normed, flatShape], outName);
        if (baseShapes is { } shapes)
        {
            _context.FlatShapeSubstitutions[perHead] = shapes.Heads;
            _context.FlatShapeSubstitutions[output] = shapes.Flat;
        }

        return output;
    }
}
