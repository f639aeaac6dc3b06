using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.TestSupport;

/// <summary>An <see cref="IChatClient"/> that answers from a script and records every request.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, string> _responder;

    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, string> responder) => _responder = responder;

    public ScriptedChatClient(params string[] answers)
    {
        var queue = new Queue<string>(answers);
        _responder = (_, _) => queue.Count > 0 ? queue.Dequeue() : throw new InvalidOperationException("The script ran out of answers.");
    }

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<ChatMessage> list = [.. messages];
        lock (Requests)
        {
            Requests.Add((list, options));
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _responder(list, options))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <summary>What <see cref="GetService"/> reports as <see cref="ChatClientMetadata"/> (null: none).</summary>
    public ChatClientMetadata? Metadata { get; init; }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? Metadata : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The image of the last user message of a request.</summary>
    public static DataContent LastImage(IReadOnlyList<ChatMessage> messages)
        => messages.Last(m => m.Role == ChatRole.User).Contents.OfType<DataContent>().Last();
}
