using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes chat</c>: an interactive, streaming conversation, optionally as a skill or with a LoRA adapter. A mistake
/// (a bad <c>/image</c>, a prompt too long) prints an error and the chat goes on; Ctrl+C stops the answer being
/// written, and quits when no answer is being written.
/// </summary>
internal static class ChatCommand
{
    /// <summary>The command's name (Program.cs leaves Ctrl+C to it).</summary>
    public const string Name = "chat";

    private const string Help = """
        /image PATH   attach an image (PNG, JPEG, BMP, GIF) to your next message
        /reset        forget the conversation (the system message stays)
        /save FILE    write the conversation as JSON (Microsoft.Extensions.AI ChatMessage list)
        /load FILE    continue a conversation written by /save
        /help         this list
        /exit         quit (also /quit, or end of input)
        Ctrl+C stops the answer being written; at the prompt it quits. Start a message with // to send a leading /.
        """;

    public static Command Create()
    {
        var model = ModelFolderOption.Create();
        var system = new Option<string?>("--system") { Description = "A system message." };
        var sampling = new SamplingOptions();
        var adapters = new AdapterOptions();
        var images = new ImageOptions();
        Option<GenerationEngine> engine = EngineOption.Create();
        var command = new Command(Name, "Chat with a model. Type /help for the chat commands (/image PATH, /reset, /save FILE, /load FILE, /exit); Ctrl+C stops an answer.") { model, system, engine };
        sampling.AddTo(command);
        adapters.AddTo(command);
        images.AddTo(command);
        var speculative = new SpeculativeOptions();
        speculative.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Option values first (images, adapter, skill), then the model folder: a wrong value is reported before a missing model.
            string requested = parse.GetValue(model)!;
            List<AIContent> pending = images.LoadAll(parse);
            adapters.CheckBeforeLoad(parse, ModelFolderOption.Locate(requested));
            string folder = ModelFolderOption.Resolve(requested);
            using AndesModel m = AndesModel.Load(folder, new AndesModelOptions { Engine = parse.GetValue(engine) });
            using var registry = new AdapterRegistry(m); // its Load refuses an adapter on ONNX Runtime GenAI, naming it
            SpeculativeDecodingOptions? speculation = speculative.Create(parse, out AndesModel? draftModel);
            using AndesModel? draft = draftModel;
            var clientOptions = new AndesChatClientOptions { ImageMaxSize = parse.GetValue(images.MaxSize), SpeculativeDecoding = speculation };
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

            var session = new ChatSession(client, m, options, parse.GetValue(system), pending, parse.GetValue(CliErrors.Verbose));
            return await session.RunAsync(cancellationToken);
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

    /// <summary>One interactive conversation: reads lines, runs chat commands, streams answers. Not thread-safe (one console).</summary>
    private sealed class ChatSession(IChatClient client, AndesModel model, ChatOptions options, string? system, List<AIContent> pending, bool verbose)
    {
        private readonly List<ChatMessage> _history = system is null ? [] : [new ChatMessage(ChatRole.System, system)];
        private readonly bool _echo = Console.IsInputRedirected;
        private readonly Lock _lock = new();
        private CancellationTokenSource? _answer;

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            // The first Ctrl+C during an answer stops that answer; at the prompt, or while an answer is already
            // stopping, the signal keeps its default action and the process ends (exit code 130).
            using PosixSignalRegistration registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt);
            AnsiConsole.MarkupLine("[grey]/help lists the chat commands; Ctrl+C stops an answer.[/]");
            while (!cancellationToken.IsCancellationRequested)
            {
                AnsiConsole.Markup("[bold]you>[/] ");
                string? line = Console.In.ReadLine();
                if (line is null)
                {
                    Console.Out.WriteLine();
                    return 0;
                }

                if (_echo)
                {
                    Console.Out.WriteLine(line);
                }

                string text = line.Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                try
                {
                    if (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal))
                    {
                        if (!RunCommand(text))
                        {
                            return 0;
                        }

                        continue;
                    }

                    await AnswerAsync(text.StartsWith("//", StringComparison.Ordinal) ? text[1..] : text, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    CliErrors.Report(e, verbose, Console.Error); // the conversation goes on
                }
            }

            return CliErrors.CancelledExitCode;
        }

        private void OnInterrupt(PosixSignalContext context)
        {
            lock (_lock)
            {
                if (_answer is { IsCancellationRequested: false } answer)
                {
                    context.Cancel = true;
                    answer.Cancel();
                }
            }
        }

        private async Task AnswerAsync(string text, CancellationToken cancellationToken)
        {
            var message = new ChatMessage(ChatRole.User, [.. pending, new TextContent(text)]);
            _history.Add(message);
            using var answer = new CancellationTokenSource();
            lock (_lock)
            {
                _answer = answer;
            }

            try
            {
                AnsiConsole.Markup("[bold]andes>[/] ");
                StreamedAnswer streamed = await ConsoleStreaming.StreamAsync(client, _history, options, cancellationToken, answer.Token);
                _history.AddMessages(streamed.Response);
                pending.Clear();
                if (streamed.Stopped)
                {
                    AnsiConsole.MarkupLine("[grey](stopped; what was written stays in the conversation)[/]");
                }
            }
            catch
            {
                // The turn failed before an answer: the conversation stays as it was, the images stay attached.
                _history.Remove(message);
                throw;
            }
            finally
            {
                lock (_lock)
                {
                    _answer = null;
                }
            }
        }

        /// <returns>False to end the chat.</returns>
        private bool RunCommand(string line)
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string name = space < 0 ? line : line[..space];
            string argument = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            switch (name)
            {
                case "/exit" or "/quit":
                    return false;
                case "/help":
                    Console.Out.WriteLine(Help);
                    return true;
                case "/reset":
                    _history.RemoveAll(m => m.Role != ChatRole.System);
                    pending.Clear();
                    AnsiConsole.MarkupLine("[grey]conversation reset[/]");
                    return true;
                case "/image":
                    ImageOptions.RequireVision(model, 1);
                    pending.Add(ImageOptions.Load(Required(argument, "/image PATH"), "/image"));
                    AnsiConsole.MarkupLine($"[grey]image {Markup.Escape(argument)} attached to your next message ({pending.Count} attached)[/]");
                    return true;
                case "/save":
                    string file = Required(argument, "/save FILE");
                    File.WriteAllText(file, JsonSerializer.Serialize(_history, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(List<ChatMessage>))));
                    AnsiConsole.MarkupLine($"[grey]saved {_history.Count} messages to {Markup.Escape(Path.GetFullPath(file))}[/]");
                    return true;
                case "/load":
                    Load(Required(argument, "/load FILE"));
                    return true;
                default:
                    throw new ArgumentException($"{name}: not a chat command (/help lists them; start with // to send a message beginning with /).");
            }
        }

        private void Load(string file)
        {
            if (!File.Exists(file))
            {
                throw new ArgumentException($"/load {file}: the file does not exist.");
            }

            List<ChatMessage> messages;
            try
            {
                messages = (List<ChatMessage>?)JsonSerializer.Deserialize(File.ReadAllText(file), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(List<ChatMessage>)))
                    ?? throw new ArgumentException($"/load {file}: the file holds no conversation.");
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"/load {file}: not a conversation written by /save ({e.Message})", e);
            }

            _history.Clear();
            _history.AddRange(messages);
            AnsiConsole.MarkupLine($"[grey]loaded {messages.Count} messages from {Markup.Escape(file)}[/]");
        }

        private static string Required(string argument, string usage) =>
            argument.Length > 0 ? argument : throw new ArgumentException($"{usage.Split(' ')[0]}: give {usage.Split(' ')[1]} (usage: {usage}).");
    }
}
