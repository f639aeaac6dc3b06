namespace Andes.GenAI;

/// <summary>
/// The token-level stop rules every engine applies after sampling a token: a stop token (end of sequence or
/// <see cref="GenerationOptions.StopTokenIds"/>), the new-token limit, then the context length.
/// </summary>
internal readonly struct StopConditions
{
    private readonly HashSet<int> _stopTokens;
    private readonly int _maxNewTokens;
    private readonly int _contextLength;

    public StopConditions(IEnumerable<int> eosTokenIds, GenerationOptions options, int contextLength)
    {
        _stopTokens = [.. eosTokenIds, .. options.StopTokenIds ?? []];
        _maxNewTokens = options.MaxNewTokens ?? int.MaxValue;
        _contextLength = contextLength;
    }

    /// <summary>The new-token limit (int.MaxValue when unset).</summary>
    public int MaxNewTokens => _maxNewTokens;

    /// <summary>Whether <paramref name="token"/> ends the sequence (an end token or one of the options' stop tokens).</summary>
    public bool IsStopToken(int token) => _stopTokens.Contains(token);

    /// <summary>Why the sequence ends after <paramref name="token"/>, or null when it goes on.</summary>
    /// <param name="token">The token just generated.</param>
    /// <param name="generated">Tokens generated so far, this one included.</param>
    /// <param name="length">The sequence length so far, this one included.</param>
    public FinishReason? Check(int token, int generated, int length) =>
        IsStopToken(token) ? FinishReason.StopToken
        : generated >= _maxNewTokens ? FinishReason.Length
        : length >= _contextLength ? FinishReason.ContextLimit
        : null;
}
