namespace Andes.GenAI;

/// <summary>
/// Changes the next-token logits in place before a token is chosen: masks for constrained decoding (set forbidden
/// tokens to <see cref="float.NegativeInfinity"/>), biases, penalties.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="LogitsSampler"/> runs its processors in list order at every step, before its own repetition,
/// presence and frequency penalties and before greedy selection or temperature/top-k/top-p/min-p sampling.
/// </para>
/// <para>
/// Implementations must not allocate per call (they run once per generated token over the whole vocabulary).
/// A processor serves one generation at a time; a stateful one (e.g. a grammar) can advance its state from
/// <see cref="TokenHistory.GeneratedTokens"/>, which holds every token accepted since its previous call.
/// Never set a logit to <see cref="float.NaN"/> or <see cref="float.PositiveInfinity"/> except deliberately: a
/// <see cref="float.PositiveInfinity"/> logit forces that token (the lowest such id wins), NaN is rejected.
/// </para>
/// </remarks>
public interface ILogitsProcessor
{
    /// <summary>Modifies the logits of the next token in place.</summary>
    /// <param name="logits">One logit per vocabulary entry (length <see cref="TokenHistory.VocabSize"/>).</param>
    /// <param name="history">The prompt and the tokens generated so far, read-only.</param>
    void Process(Span<float> logits, TokenHistory history);
}
