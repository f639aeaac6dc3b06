using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Commands;

/// <summary>A response streamed to the console: what arrived, when the first update came, the whole time, and whether it was stopped.</summary>
internal sealed record StreamedAnswer(ChatResponse Response, TimeSpan? FirstToken, TimeSpan Total, bool Stopped);

/// <summary>Streams a chat response to standard output as it arrives, timing the first update and the whole response.</summary>
internal static class ConsoleStreaming
{
    /// <summary>
    /// Streams one response. <paramref name="stop"/> ends just this answer (what arrived so far is kept and
    /// <see cref="StreamedAnswer.Stopped"/> is set); <paramref name="cancellationToken"/> cancels the command.
    /// </summary>
    public static async Task<StreamedAnswer> StreamAsync(
        IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken, CancellationToken stop = default)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? first = null;
        var updates = new List<ChatResponseUpdate>();
        bool stopped = false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop);
        try
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options, linked.Token))
            {
                first ??= stopwatch.Elapsed;
                updates.Add(update);
                Console.Out.Write(update.Text);
                Console.Out.Flush();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            stopped = true;
        }

        Console.Out.WriteLine();
        return new StreamedAnswer(updates.ToChatResponse(), first, stopwatch.Elapsed, stopped);
    }
}
