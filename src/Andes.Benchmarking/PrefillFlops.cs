namespace Andes.Benchmarking;

/// <summary>
/// Floating-point operations of one prompt pass (prefill, no cached prefix) through the decoder, counted by
/// <see cref="ModelFlopCounter.CountPrefill"/>. A multiply-add counts as two; the embedding is a gather (none).
/// </summary>
/// <param name="Tokens">The prompt tokens.</param>
/// <param name="Linears">The layers' linears (q, k, v, o, gate, up, down): 2 * tokens * sum(in * out).</param>
/// <param name="Attention">Causal scores and weighted values: layers * 2 * tokens * (tokens + 1) * (query heads * head_dim).</param>
/// <param name="LmHead">The lm_head, for the last position only: 2 * vocabulary * hidden.</param>
public sealed record PrefillFlops(int Tokens, long Linears, long Attention, long LmHead)
{
    /// <summary>The sum of the parts.</summary>
    public long Total => Linears + Attention + LmHead;
}
