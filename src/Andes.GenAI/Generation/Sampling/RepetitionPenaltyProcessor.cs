namespace Andes.GenAI;

/// <summary>
/// Hugging Face (CTRL-style) repetition penalty: for every distinct token already in the prompt or the output, a
/// positive logit is divided by the penalty and a negative one multiplied by it. Cost: O(distinct tokens) per step.
/// </summary>
internal sealed class RepetitionPenaltyProcessor : ILogitsProcessor
{
    private readonly float _penalty;

    /// <summary>Initializes a new instance of the <see cref="RepetitionPenaltyProcessor"/> class.</summary>
    /// <param name="penalty">The penalty, finite and positive (1 = no change).</param>
    public RepetitionPenaltyProcessor(float penalty)
    {
        _penalty = penalty;
    }

    /// <inheritdoc/>
    public void Process(Span<float> logits, TokenHistory history)
    {
        float penalty = _penalty;
        foreach (int token in history.DistinctTokens)
        {
            ref float logit = ref logits[token];
            logit = logit < 0f ? logit * penalty : logit / penalty;
        }
    }
}
