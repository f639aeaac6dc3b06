using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Andes.SemanticKernel;

/// <summary>
/// The chat client pipeline of one registration and the chat completion service over it, registered under the
/// registration's service id so that its <see cref="IChatClient"/> and <see cref="IChatCompletionService"/> always
/// resolve to the same pipeline, whatever else is registered.
/// </summary>
/// <remarks>Not disposable: the container disposes the chat client through its <see cref="IChatClient"/> registration.</remarks>
internal sealed class KernelChatServices(IChatClient chatClient, IChatCompletionService chatCompletionService)
{
    public IChatClient ChatClient { get; } = chatClient;

    public IChatCompletionService ChatCompletionService { get; } = chatCompletionService;
}
