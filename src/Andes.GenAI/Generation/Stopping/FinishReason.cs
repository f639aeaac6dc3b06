namespace Andes.GenAI;

/// <summary>
/// Why a generation ended. The chat layer maps <see cref="EndOfSequence"/>, <see cref="StopToken"/> and
/// <see cref="StopSequence"/> to <c>ChatFinishReason.Stop</c> (or <c>ToolCalls</c> when the output parser found tool
/// calls), <see cref="Length"/> and <see cref="ContextLimit"/> to <c>ChatFinishReason.Length</c>.
/// </summary>
public enum FinishReason
{
    /// <summary>The model produced one of its end-of-sequence tokens (e.g. <c>&lt;|im_end|&gt;</c>).</summary>
    EndOfSequence = 0,

    /// <summary>The model produced one of <see cref="GenerationOptions.StopTokenIds"/>.</summary>
    StopToken,

    /// <summary>The decoded text reached one of <see cref="GenerationOptions.StopSequences"/>.</summary>
    StopSequence,

    /// <summary><see cref="GenerationOptions.MaxNewTokens"/> tokens were generated.</summary>
    Length,

    /// <summary>The sequence filled the model's context length (or KV cache) before any other stop.</summary>
    ContextLimit,

    /// <summary>The caller's cancellation token was signalled.</summary>
    Cancelled,
}
