using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Evaluation;
using Andes.GenAI;
using Andes.ModelBuilder;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes demo</c>: what the project does, in lines a newcomer can check, on the generated tiny model (or any
/// model folder): an answer about an image with its token count and a follow-up turn served from the key/value cache,
/// a tool call forced by required-tool decoding whose result feeds the next turn, a GUI grounding step in dry-run with
/// the box drawn into a PNG, and what to run next.
/// </summary>
internal static class DemoCommand
{
    // Short answers: the tiny model's words are noise, and the demo should finish in seconds.
    private const int AnswerTokens = 24;

    public static Command Create()
    {
        var model = ModelFolderOption.Create("A model with vision.onnx to use instead of the generated tiny one", required: false);
        var output = new Option<DirectoryInfo?>("--output") { Description = "Where the demo writes its pictures (default: $ANDES_HOME/demo, ANDES_HOME defaulting to ~/.andes)." };
        var command = new Command("demo", "Show what Andes does on the tiny generated model: an image question with a cached follow-up, a required tool call, a GUI grounding step in dry-run.") { model, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var total = Stopwatch.StartNew();
            bool tiny = parse.GetValue(model) is null;
            string dir = ModelFolderOption.ResolveOptional(parse.GetValue(model)) ?? EnsureTinyModel(cancellationToken);
            string outputDir = parse.GetValue(output)?.FullName ?? Path.Combine(AndesHome.Root, "demo");
            Directory.CreateDirectory(outputDir);

            var load = Stopwatch.StartNew();
            using AndesModel m = AndesModel.Load(dir);
            using var client = new AndesChatClient(m);
            AnsiConsole.MarkupLine($"[bold]model[/] {Markup.Escape(dir)}: {m.Config.Model.Decoder.NumHiddenLayers} layers, {m.IntraOpThreadCount} threads, loaded in {load.Elapsed.TotalSeconds:F1} s");
            if (tiny)
            {
                AnsiConsole.MarkupLine("[grey]The tiny model has seeded random weights, so its words are noise. Everything else is the real pipeline, and the numbers below can be checked.[/]");
            }

            if (!m.SupportsImages)
            {
                throw new ArgumentException($"--model {dir}: the demo asks about an image, and this model folder has no vision graph (vision.onnx).");
            }

            GroundingSample screen = SyntheticGroundingSetGenerator.Generate(Path.Combine(outputDir, "screen"), count: 1, seed: 11).Samples[0];
            await ImageTurnsAsync(client, m, screen, cancellationToken);
            await ToolTurnsAsync(client, cancellationToken);
            await GroundingStepAsync(client, screen, outputDir, cancellationToken);

            AnsiConsole.MarkupLine($"\n[bold]4. Next[/] (the demo took {total.Elapsed.TotalSeconds:F1} s)");
            AnsiConsole.MarkupLine("  andes chat --model " + Markup.Escape(dir) + "            [grey]# chat; /help inside[/]");
            AnsiConsole.MarkupLine("  andes pull OPPOer/AndesVL-1B-Instruct      [grey]# real weights from the Hugging Face hub, converted to int4[/]");
            AnsiConsole.MarkupLine("  andes chat --model andesvl-1b-instruct-int4");
            AnsiConsole.MarkupLine("  samples/ and notebooks/                    [grey]# the same steps as code: images, skills, the GUI agent, Semantic Kernel[/]");
            return 0;
        });
        return command;
    }

    /// <summary>The tiny demo model folder, generated and converted on first use.</summary>
    internal static string EnsureTinyModel(CancellationToken cancellationToken)
    {
        string dir = Path.Combine(AndesHome.Models, "tiny-int4");
        if (File.Exists(Path.Combine(dir, "genai_config.json")))
        {
            return dir;
        }

        string checkpoint = Path.Combine(AndesHome.Checkpoints, "tiny");
        AnsiConsole.MarkupLine($"[grey]First run: generating the tiny AndesVL checkpoint in {Markup.Escape(checkpoint)} and converting it to int4.[/]");
        ConsoleProgress.Run("tiny model", display =>
        {
            CheckpointGenerator.Generate(checkpoint, CheckpointShape.Tiny, new CheckpointGeneratorOptions
            {
                Seed = 1,
                Progress = new SynchronousProgress<CheckpointGenerationProgress>(p => display.Report(p.TotalBytes > 0 ? 0.3 * p.BytesWritten / p.TotalBytes : 0, "checkpoint")),
            }, cancellationToken);

            // The converter stages and moves into place itself: an interrupted first run leaves no half model behind.
            var progress = new SynchronousProgress<ModelConversionProgress>(p => display.Report(0.3 + (0.7 * p.Fraction), "int4", p.TensorName));
            return ModelConverter.Convert(checkpoint, dir, new ModelConversionOptions { ContextLength = 4096, Overwrite = true }, progress, cancellationToken);
        });
        return dir;
    }

    private static async Task ImageTurnsAsync(AndesChatClient client, AndesModel model, GroundingSample screen, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("\n[bold]1. A question about an image, then a follow-up[/]");
        var image = new DataContent(await File.ReadAllBytesAsync(screen.ImagePath, cancellationToken), "image/png");
        List<ChatMessage> history = [new(ChatRole.User, [image, new TextContent("What is on this screen?")])];
        PromptImage info = model.Encode(AndesChatClientPromptRenderer.Render(history)).Images[0];
        AnsiConsole.MarkupLine($"  image {Markup.Escape(screen.ImagePath)}: {info.Width} x {info.Height}, resized to {info.Geometry.PaddedWidth} x {info.Geometry.PaddedHeight} = {info.TokenCount} image tokens");
        var options = new ChatOptions { MaxOutputTokens = AnswerTokens, Temperature = 0 };
        ChatResponse first = await TurnAsync(client, history, "What is on this screen?", options, cancellationToken);
        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.User, "Which button should I press to save?"));
        ChatResponse second = await TurnAsync(client, history, "Which button should I press to save?", options, cancellationToken);
        long? cached = second.Usage?.CachedInputTokenCount;
        AnsiConsole.MarkupLine($"  [grey]the follow-up reused {cached} of its {second.Usage?.InputTokenCount} prompt tokens from the key/value cache: the image was not encoded again[/]");
    }

    private static async Task ToolTurnsAsync(AndesChatClient client, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("\n[bold]2. A tool call under required-tool decoding, its result fed to the next turn[/]");
        AIFunction tool = AIFunctionFactory.Create(LocalTime, "get_local_time");
        AnsiConsole.MarkupLine($"  tool {tool.Name}{Markup.Escape(tool.JsonSchema.GetProperty("properties").ToString())}");
        List<ChatMessage> history = [new(ChatRole.User, "What time is it in Tokyo?")];
        var options = new ChatOptions { MaxOutputTokens = 64, Temperature = 0, Tools = [tool], ToolMode = ChatToolMode.RequireSpecific(tool.Name) };
        AnsiConsole.MarkupLine("  [bold]user>[/] What time is it in Tokyo?");
        ChatResponse response = await client.GetResponseAsync(history, options, cancellationToken);
        FunctionCallContent call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().First();
        string arguments = string.Join(", ", (call.Arguments ?? new Dictionary<string, object?>()).Select(a => $"{a.Key}: {a.Value}"));
        AnsiConsole.MarkupLine($"  [bold]andes>[/] calls {Markup.Escape(call.Name)}({Markup.Escape(arguments)})  [grey](finish: {response.FinishReason}; constrained decoding makes even random weights produce a valid call)[/]");
        object? result = await tool.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken);
        AnsiConsole.MarkupLine($"  [bold]tool>[/] {Markup.Escape(result?.ToString() ?? "null")}");
        history.AddMessages(response);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
        ChatResponse answer = await TurnAsync(client, history, null, new ChatOptions { MaxOutputTokens = AnswerTokens, Temperature = 0, Tools = [tool] }, cancellationToken);
        AnsiConsole.MarkupLine($"  [grey]the answer's prompt ({answer.Usage?.InputTokenCount} tokens) holds the tool result; {answer.Usage?.CachedInputTokenCount} of them came from the cache[/]");
    }

    private static async Task GroundingStepAsync(AndesChatClient client, GroundingSample screen, string outputDir, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("\n[bold]3. A GUI grounding step, in dry-run[/]");
        using var capture = new InMemoryScreenCapture(PngDecoder.DecodeFile(screen.ImagePath));
        var executor = new DryRunExecutor();

        // Constrained to a box in AndesVL's 0-1000 coordinates, so that the random model's answer is a box (at a random
        // place); a real model answers in its own format, which the agent parses the same way.
        var grounding = new GroundingOptions { SkillName = null, ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 48, ResponseFormat = BoxSchema() } };
        var tools = new GuiAgentTools(client, capture, executor, new GuiAgentToolsOptions { Grounding = grounding });
        AnsiConsole.MarkupLine($"  screen {capture.Desktop.Width} x {capture.Desktop.Height} (synthetic); instruction: click {Markup.Escape(screen.Instruction)}; true box {screen.Box}");
        string result = await tools.ClickAsync(screen.Instruction, cancellationToken: cancellationToken);
        AnsiConsole.MarkupLine($"  click tool> {Markup.Escape(result)}");
        if (executor.Actions.LastOrDefault() is { } action && tools.LastScreenshot is { } frame)
        {
            string picture = Path.Combine(outputDir, "grounding.png");
            await File.WriteAllBytesAsync(picture, PngEncoder.Encode(TrajectoryRecorder.Annotate(frame, action)), cancellationToken);
            bool hit = action.GetPointerPositions().All(p => screen.Box.Contains(new ImagePoint(p.X, p.Y)));
            AnsiConsole.MarkupLine($"  dry-run: {Markup.Escape(action.Describe())} was recorded, not sent; inside the true box: {(hit ? "yes" : "no")}");
            AnsiConsole.MarkupLine($"  picture: {Markup.Escape(picture)} [grey](the answered box in red, the pointer in magenta)[/]");
        }
        else
        {
            AnsiConsole.MarkupLine("  [grey]the answer was rejected by the parser or the safety policy, so nothing was executed[/]");
        }
    }

    private static async Task<ChatResponse> TurnAsync(IChatClient client, List<ChatMessage> history, string? user, ChatOptions options, CancellationToken cancellationToken)
    {
        if (user is not null)
        {
            AnsiConsole.MarkupLine($"  [bold]user>[/] {Markup.Escape(user)}");
        }

        AnsiConsole.Markup("  [bold]andes>[/] ");
        StreamedAnswer streamed = await ConsoleStreaming.StreamAsync(client, history, options, cancellationToken);
        UsageDetails usage = streamed.Response.Usage ?? new UsageDetails();
        AnsiConsole.MarkupLine(
            $"  [grey]{usage.InputTokenCount} prompt tokens, {usage.OutputTokenCount} generated, first token after {streamed.FirstToken?.TotalMilliseconds:F0} ms, {streamed.Total.TotalSeconds:F2} s in all[/]");
        return streamed.Response;
    }

    private static ChatResponseFormat BoxSchema()
    {
        // Every coordinate an enum of 0..1000: the grammar has no numeric ranges, and an out-of-range box would only be rejected.
        string coordinates = string.Join(",", Enumerable.Range(0, 1001));
        string schema = """{"type":"object","properties":{"bbox_2d":{"type":"array","items":{"enum":[COORDINATES]},"minItems":4,"maxItems":4}},"required":["bbox_2d"],"additionalProperties":false}""";
        schema = schema.Replace("COORDINATES", coordinates, StringComparison.Ordinal);
        return ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement, "box");
    }

    [Description("Gets the local time in a city.")]
    private static string LocalTime([Description("The city.")] City city) => city switch
    {
        City.Paris => "09:30 in Paris (UTC+1)",
        City.Tokyo => "17:30 in Tokyo (UTC+9)",
        _ => "00:30 in Seattle (UTC-8)",
    };

    private enum City
    {
        Paris,
        Tokyo,
        Seattle,
    }
}
