namespace Andes.ModelBuilder;

/// <summary>
/// The input/output layout of the decoder graph. Andes writes the fastest CPU layout by default (embeddings in,
/// separate key/value tensors shared in place by GroupQueryAttention, int64 ids and mask); the other layouts are those
/// other tools write in the ONNX Runtime GenAI folder format, so the engine's support for them can be tested.
/// </summary>
public sealed class DecoderLayout
{
    /// <summary>The default layout: <c>inputs_embeds</c>, separate KV, int64, no position ids, contrib attention.</summary>
    public static DecoderLayout Default => new();

    /// <summary>
    /// The decoder takes <c>input_ids</c> (and embeds them itself) instead of <c>inputs_embeds</c>; no embedding graph is
    /// written, and so no vision graph either (the model is text-only).
    /// </summary>
    public bool TokenIdsInput { get; set; }

    /// <summary>One KV tensor per layer, <c>past_%d</c> / <c>present_%d</c> shaped [2, batch, kv_heads, length, head_size] (key then value).</summary>
    public bool CombinedKeyValues { get; set; }

    /// <summary>Token ids, attention mask and position ids are int32 instead of int64.</summary>
    public bool Int32Inputs { get; set; }

    /// <summary>The graph takes <c>position_ids</c> [batch, sequence] that drive the rotary positions.</summary>
    public bool PositionIds { get; set; }

    /// <summary>
    /// Attention with ONNX standard operators (MatMul, Softmax, explicit rotary and causal mask, past concatenated with
    /// the new keys) instead of com.microsoft GroupQueryAttention. Such graphs cannot share past and present buffers.
    /// </summary>
    public bool StandardAttention { get; set; }

    /// <summary>Whether the engine may bind one buffer as both past and present (GroupQueryAttention with separate KV).</summary>
    public bool SharesPastPresentBuffer => !StandardAttention && !CombinedKeyValues;

    /// <summary>Creates a copy.</summary>
    public DecoderLayout Clone() => (DecoderLayout)MemberwiseClone();

    /// <inheritdoc />
    public override string ToString() =>
        $"{(TokenIdsInput ? "input_ids" : "inputs_embeds")}, {(CombinedKeyValues ? "combined" : "separate")} KV, {(Int32Inputs ? "int32" : "int64")}, " +
        $"{(PositionIds ? "position_ids" : "no position_ids")}, {(StandardAttention ? "standard-op" : "GroupQueryAttention")} attention";
}
