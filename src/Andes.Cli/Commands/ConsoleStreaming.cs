using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Commands;

/// <summary>Streams a chat response to standard output as it arrives, timing the first update and the whole response.</summary>
internal static class ConsoleStreaming
{
    public static async Task<(ChatResponse Response, TimeSpan? FirstToken, TimeSpan Total)> StreamAsync(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? first = null;
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            first ??= stopwatch.Elapsed;
            updates.Add(update);
            Console.Out.Write(update.Text);
            Console.Out.Flush();
        }

        Console.Out.WriteLine();
        return (updates.ToChatResponse(), first, stopwatch.Elapsed);
    }
}
