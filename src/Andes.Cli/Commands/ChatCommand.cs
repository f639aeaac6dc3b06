using System.CommandLine;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes chat</c>: an interactive, streaming conversation, optionally as a skill or with a LoRA adapter.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create();
        var system = new Option<string?>("--system") { Description = "A system message." };
        var sampling = new SamplingOptions();
        var adapters = new AdapterOptions();
        var images = new ImageOptions();
        Option<GenerationEngine> engine = EngineOption.Create();
        var command = new Command("chat", "Chat with a model (type /exit or an empty line at end of input to quit; /image PATH attaches an image to the next message).") { model, system, engine };
        sampling.AddTo(command);
        adapters.AddTo(command);
        images.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using AndesModel m = AndesModel.Load(ModelFolderOption.Resolve(parse.GetValue(model)!), new AndesModelOptions { Engine = parse.GetValue(engine) });
            using var registry = new AdapterRegistry(m); // its Load refuses an adapter on ONNX Runtime GenAI, naming it
            var clientOptions = new AndesChatClientOptions { ImageMaxSize = parse.GetValue(images.MaxSize) };
            List<AIContent> pending = [.. (parse.GetValue(images.Images) ?? []).Select(ImageOptions.Load)];
            ImageOptions.RequireVision(m, pending.Count);
            ChatOptions options;
            if (parse.GetValue(adapters.Adapter) is { } path)
            {
                LoraAdapter adapter = registry.Load("cli", path);
                clientOptions.Adapters = registry;
                AnsiConsole.MarkupLine($"[grey]adapter {Markup.Escape(adapter.ToString())}[/]");
            }

            using var client = new AndesChatClient(m, clientOptions); // loads skills.json (and its adapters) when present
            if (parse.GetValue(adapters.Skill) is { } skill)
            {
                Skill found = (client.Skills ?? throw new ArgumentException($"--skill {skill}: the model folder '{m.Directory}' has no skills.json.")).Get(skill);
                AnsiConsole.MarkupLine($"[grey]skill {Markup.Escape(found.ToString())}: {Markup.Escape(found.Description)}[/]");
                options = ExplicitChatOptions(parse, sampling).WithSkill(skill); // the skill's defaults apply where no flag is given
            }
            else
            {
                options = ChatOptionsFrom(sampling.Apply(parse, GenerationOptions.FromSearch(m.Config.Search)));
                if (clientOptions.Adapters is not null)
                {
                    options.WithAdapter("cli");
                }
            }

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

                if (line.StartsWith("/image ", StringComparison.Ordinal))
                {
                    string imagePath = line["/image ".Length..].Trim();
                    ImageOptions.RequireVision(m, 1);
                    pending.Add(ImageOptions.Load(imagePath));
                    AnsiConsole.MarkupLine($"[grey]image {Markup.Escape(imagePath)} attached to the next message[/]");
                    continue;
                }

                history.Add(new ChatMessage(ChatRole.User, [.. pending, new TextContent(line)]));
                pending.Clear();
                AnsiConsole.Markup("[bold]andes>[/] ");
                (ChatResponse response, _, _) = await ConsoleStreaming.StreamAsync(client, history, options, cancellationToken);
                history.AddMessages(response);
            }
        });
        return command;
    }

    /// <summary>Chat options holding only the sampling flags given on the command line.</summary>
    internal static ChatOptions ExplicitChatOptions(System.CommandLine.ParseResult parse, SamplingOptions sampling)
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = parse.GetValue(sampling.MaxTokens),
            Temperature = parse.GetValue(sampling.Greedy) ? 0f : parse.GetValue(sampling.Temperature),
            TopK = parse.GetValue(sampling.TopK),
            TopP = parse.GetValue(sampling.TopP),
            Seed = parse.GetValue(sampling.Seed),
            StopSequences = parse.GetValue(sampling.Stop) is { Length: > 0 } stops ? [.. stops] : null,
        };
        if (parse.GetValue(sampling.MinP) is float minP)
        {
            (options.AdditionalProperties ??= [])[AndesChatOptionKeys.MinP] = minP;
        }

        if (parse.GetValue(sampling.RepetitionPenalty) is float rp)
        {
            (options.AdditionalProperties ??= [])[AndesChatOptionKeys.RepetitionPenalty] = rp;
        }

        return options;
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
