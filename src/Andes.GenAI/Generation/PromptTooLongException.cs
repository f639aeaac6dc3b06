namespace Andes.GenAI.Generation;

/// <summary>A prompt (with the tokens asked for) does not fit the model's context. Raised before any compute.</summary>
public sealed class PromptTooLongException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="promptTokens">Tokens in the prompt.</param>
    /// <param name="contextLength">The model's context length.</param>
    public PromptTooLongException(int promptTokens, int contextLength)
        : base($"The prompt has {promptTokens} tokens; the model's context holds {contextLength} (prompt and generated tokens together).")
    {
        PromptTokens = promptTokens;
        ContextLength = contextLength;
    }

    /// <summary>Tokens in the prompt.</summary>
    public int PromptTokens { get; }

    /// <summary>The model's context length.</summary>
    public int ContextLength { get; }
}
