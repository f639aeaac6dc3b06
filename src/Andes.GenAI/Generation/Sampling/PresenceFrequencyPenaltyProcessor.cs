namespace Andes.GenAI;

/// <summary>
/// OpenAI-style presence and frequency penalties over the generated tokens only (the prompt is not counted):
/// <c>logit[t] -= presence * (count[t] &gt; 0 ? 1 : 0) + frequency * count[t]</c>.
/// Cost: O(distinct generated tokens) per step, from counts kept incrementally by <see cref="TokenHistory"/>.
/// </summary>
internal sealed class PresenceFrequencyPenaltyProcessor : ILogitsProcessor
{
    private readonly float _presence;
    private readonly float _frequency;

    /// <summary>Initializes a new instance of the <see cref="PresenceFrequencyPenaltyProcessor"/> class.</summary>
    /// <param name="presence">Subtracted once from every token that occurs in the output.</param>
    /// <param name="frequency">Subtracted once per occurrence in the output.</param>
    public PresenceFrequencyPenaltyProcessor(float presence, float frequency)
    {
        _presence = presence;
        _frequency = frequency;
    }

    /// <inheritdoc/>
    public void Process(Span<float> logits, TokenHistory history)
    {
        foreach (int token in history.DistinctGeneratedTokens)
        {
            logits[token] -= _presence + (_frequency * history.GetGeneratedCountUnchecked(token));
        }
    }
}
