using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel.Tests;

/// <summary>
/// An <see cref="IChatClient"/> that plays a script: the n-th request gets the n-th response (the last one repeats),
/// and every request's messages and options are recorded.
/// </summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatResponse>[] script) : IChatClient
{
    private readonly List<(List<ChatMessage> Messages, ChatOptions? Options)> _requests = [];

    public ScriptedChatClient(params ChatResponse[] responses)
        : this([.. responses.Select(r => (Func<IReadOnlyList<ChatMessage>, ChatResponse>)(_ => r))])
    {
    }

    /// <summary>The requests so far: copies of their messages, and their options.</summary>
    public IReadOnlyList<(List<ChatMessage> Messages, ChatOptions? Options)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public bool Disposed { get; private set; }

    /// <summary>The skills <see cref="GetService"/> hands out, as an <c>AndesChatClient</c> with skills would.</summary>
    public SkillRegistry? Skills { get; init; }

    /// <summary>A response with one assistant message calling <paramref name="name"/>.</summary>
    public static ChatResponse Call(string callId, string name, IDictionary<string, object?>? arguments = null) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, name, arguments)]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
        };

    /// <summary>A response with one assistant text message.</summary>
    public static ChatResponse Text(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 7, TotalTokenCount = 27 },
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<ChatMessage> copy = [.. messages];
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add((copy, options));
        }

        ChatResponse scripted = script[Math.Min(index, script.Length - 1)](copy);

        // A fresh response object each time (FunctionInvokingChatClient adds to the messages it receives).
        return Task.FromResult(new ChatResponse([.. scripted.Messages.Select(m => m.Clone())])
        {
            FinishReason = scripted.FinishReason,
            Usage = scripted.Usage,
            ModelId = "scripted",
            ResponseId = "resp-" + index,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted")
        : serviceKey is null && serviceType == typeof(SkillRegistry) ? Skills
        : null;

    public void Dispose() => Disposed = true;
}
