namespace Andes.GenAI;

/// <summary>
/// One sequence being generated token by token, whichever engine runs the model: Andes's own <see cref="Generator"/>
/// on ONNX Runtime, or ONNX Runtime GenAI's generator (create one with <see cref="AndesModel.CreateGenerator"/>). Both
/// sample with Andes's <see cref="LogitsSampler"/> (and its constraints), so the chat client, <see cref="TextStreamer"/>
/// and stop sequences are one code path for both. Not safe for concurrent use, except <see cref="Terminate"/>.
/// </summary>
public interface ITokenGenerator : IDisposable
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
    /// <param name="tokens">The ids.</param>
    void AppendTokens(ReadOnlySpan<int> tokens);

    /// <summary>Appends an encoded prompt (text and images) and runs it.</summary>
    /// <param name="prompt">The prompt, from <see cref="AndesModel.Encode(ChatPrompt, PromptEncodingOptions?)"/> or <see cref="AndesModel.Encode(ReadOnlySpan{int}, IReadOnlyList{Microsoft.Extensions.AI.AIContent}, PromptEncodingOptions?)"/>.</param>
    void AppendPrompt(EncodedPrompt prompt);

    /// <summary>Samples the next token, appends it and, unless that ends the sequence, runs it.</summary>
    /// <returns>The token id.</returns>
    int GenerateNextToken();

    /// <summary>Ends generation early with the given reason.</summary>
    /// <param name="reason">Why generation ended.</param>
    void Finish(FinishReason reason);

    /// <summary>
    /// Asks a running forward pass to stop (safe to call from another thread, for example from a cancellation token's
    /// callback): the pass throws <see cref="OperationCanceledException"/>, and the sequence is unusable afterwards.
    /// </summary>
    void Terminate();
}
