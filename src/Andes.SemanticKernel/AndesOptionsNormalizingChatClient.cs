using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel;

/// <summary>
/// A pipeline step that normalises the Andes setting keys of each request's <see cref="ChatOptions"/> (see
/// <see cref="AndesChatOptionsNormalizer"/>), so plain <c>PromptExecutionSettings</c> extension data reaches the engine
/// under the names and types it reads. Messages and everything else pass through unchanged.
/// </summary>
internal sealed class AndesOptionsNormalizingChatClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetResponseAsync(messages, AndesChatOptionsNormalizer.Normalize(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetStreamingResponseAsync(messages, AndesChatOptionsNormalizer.Normalize(options), cancellationToken);
}
