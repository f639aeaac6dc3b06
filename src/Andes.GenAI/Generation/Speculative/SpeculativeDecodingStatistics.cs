namespace Andes.GenAI;

/// <summary>What speculative decoding did in one generation: proposals, acceptances and verification passes.</summary>
/// <param name="DraftedTokens">Tokens the drafter proposed.</param>
/// <param name="AcceptedTokens">Proposals the model accepted.</param>
/// <param name="VerificationPasses">Decoder passes that checked proposals (each also yields one token of the model's own).</param>
/// <param name="PlainSteps">Single-token decoder passes, when the drafter had nothing to propose.</param>
public readonly record struct SpeculativeDecodingStatistics(int DraftedTokens, int AcceptedTokens, int VerificationPasses, int PlainSteps)
{
    /// <summary>Accepted proposals over proposed ones (0 when none were proposed).</summary>
    public double AcceptanceRate => DraftedTokens == 0 ? 0 : (double)AcceptedTokens / DraftedTokens;

    /// <summary>Tokens decided per decoder pass: (accepted + one per pass) / passes; 1 without speculation.</summary>
    public double TokensPerPass => VerificationPasses + PlainSteps == 0 ? 0 : (double)(AcceptedTokens + VerificationPasses + PlainSteps) / (VerificationPasses + PlainSteps);
}
