using System.CommandLine;
using Andes.GenAI.Chat;
using Andes.GenAI.Generation;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes chat</c>: an interactive, streaming conversation.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model folder.", Required = true };
        var system = new Option<string?>("--system") { Description = "A system message." };
        var sampling = new SamplingOptions();
        var command = new Command("chat", "Chat with a model (type /exit or an empty line at end of input to quit).") { model, system };
        sampling.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = new AndesChatClient(parse.GetValue(model)!.FullName);
            var defaults = GenerationOptions.FromSearch(client.Model.Config.Search);
            var options = ChatOptionsFrom(sampling.Apply(parse, defaults));
            var history = new List<ChatMessage>();
            if (parse.GetValue(system) is { } s)
            {
                history.Add(new ChatMessage(ChatRole.System, s));
            }

            while (true)
            {
                AnsiConsole.Markup("[bold]you>[/] ");
                string? line = Console.In.ReadLine();
                if (line is null || line.Trim() == "/exit")
                {
                    return 0;
                }

                history.Add(new ChatMessage(ChatRole.User, line));
                AnsiConsole.Markup("[bold]andes>[/] ");
                var updates = new List<ChatResponseUpdate>();
                await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(history, options, cancellationToken))
                {
                    updates.Add(update);
                    Console.Out.Write(update.Text);
                }

                Console.Out.WriteLine();
                history.AddMessages(updates);
            }
        });
        return command;
    }

    internal static ChatOptions ChatOptionsFrom(GenerationOptions g) => new()
    {
        Temperature = g.DoSample ? g.Temperature : 0f,
        TopK = g.TopK,
        TopP = g.TopP,
        MaxOutputTokens = g.MaxNewTokens,
        Seed = g.Seed,
        StopSequences = g.StopSequences?.ToList(),
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [AndesChatOptionKeys.MinP] = g.MinP,
            [AndesChatOptionKeys.RepetitionPenalty] = g.RepetitionPenalty,
        },
    };
}
