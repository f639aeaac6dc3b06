using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// One sequence being generated, whichever engine runs the model: Andes's own <see cref="Generator"/> on ONNX Runtime,
/// or ONNX Runtime GenAI's generator. Both sample with Andes's <see cref="LogitsSampler"/> (and its constraints),
/// so the chat client, the text streamer and stop sequences are one code path for both.
/// </summary>
internal interface ITokenSequence : IDisposable
{
    /// <summary>The model (tokenizer, config).</summary>
    AndesModel Model { get; }

    /// <summary>Whether generation has finished.</summary>
    bool IsDone { get; }

    /// <summary>Why generation finished, or null while it goes on.</summary>
    FinishReason? FinishReason { get; }

    /// <summary>Prompt tokens appended.</summary>
    int PromptTokenCount { get; }

    /// <summary>Tokens generated.</summary>
    int GeneratedTokenCount { get; }

    /// <summary>Prompt tokens whose keys/values came from a reused cache.</summary>
    int ReusedTokenCount { get; }

    /// <summary>Appends prompt token ids (no image placeholders) and runs them.</summary>
    void AppendTokens(ReadOnlySpan<int> tokens);

    /// <summary>Appends an encoded prompt (text and images) and runs it.</summary>
    void AppendPrompt(EncodedPrompt prompt);

    /// <summary>Samples the next token, appends it and, unless that ends the sequence, runs it.</summary>
    int GenerateNextToken();

    /// <summary>Ends generation early with the given reason.</summary>
    void Finish(FinishReason reason);

    /// <summary>Asks a running forward pass to stop (from another thread); the sequence is unusable afterwards.</summary>
    void Terminate();
}
