using System.CommandLine;
using System.Diagnostics;
using Andes.GenAI;
using Andes.ModelBuilder;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes demo</c>: makes the tiny model if it is missing and runs a streamed chat turn on it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Use this model folder instead of the generated tiny one." };
        var prompt = new Option<string>("--prompt") { Description = "The user message.", DefaultValueFactory = _ => "Say hello to the .NET developers in one sentence." };
        var command = new Command("demo", "Create the tiny demo model if it is missing and stream a chat turn from it.") { model, prompt };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string dir = parse.GetValue(model)?.FullName ?? EnsureTinyModel(cancellationToken);
            AnsiConsole.MarkupLine($"[grey]model:[/] {Markup.Escape(dir)}");
            var stopwatch = Stopwatch.StartNew();
            using var client = new AndesChatClient(dir);
            AnsiConsole.MarkupLine($"[grey]loaded in {stopwatch.Elapsed.TotalSeconds:F1} s[/]");

            string user = parse.GetValue(prompt)!;
            AnsiConsole.MarkupLine($"[bold]user>[/] {Markup.Escape(user)}");
            AnsiConsole.Markup("[bold]andes>[/] ");
            var options = new ChatOptions { MaxOutputTokens = 48, Temperature = 0.7f, TopP = 0.9f, Seed = 7 };
            (ChatResponse response, TimeSpan? firstToken, TimeSpan elapsed, _) = await ConsoleStreaming.StreamAsync(
                client, [new ChatMessage(ChatRole.User, user)], options, cancellationToken);
            UsageDetails usage = response.Usage ?? new UsageDetails();
            double seconds = elapsed.TotalSeconds;
            AnsiConsole.MarkupLine(
                $"[grey]{usage.InputTokenCount} prompt tokens, {usage.OutputTokenCount} generated in {seconds:F2} s " +
                $"({usage.OutputTokenCount / Math.Max(seconds, 1e-9):F1} tokens/s, first token after {firstToken?.TotalMilliseconds:F0} ms), finish: {response.FinishReason}[/]");
            if (parse.GetValue(model) is null)
            {
                AnsiConsole.MarkupLine("[grey]The tiny model has random weights: its text is noise. It exercises the real pipeline (tokenizer, template, ONNX Runtime, KV cache, sampling).[/]");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The tiny demo model folder, generated and converted on first use.</summary>
    internal static string EnsureTinyModel(CancellationToken cancellationToken)
    {
        string home = Environment.GetEnvironmentVariable("ANDES_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");
        string dir = Path.Combine(home, "models", "tiny-int4");
        if (File.Exists(Path.Combine(dir, "genai_config.json")))
        {
            return dir;
        }

        string checkpoint = Path.Combine(home, "checkpoints", "tiny");
        AnsiConsole.Status().Start("Generating the tiny AndesVL checkpoint and converting it to int4 (first run only)...", _ =>
        {
            CheckpointGenerator.Generate(checkpoint, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 1 }, cancellationToken);
            // The converter stages and moves into place itself: an interrupted first run leaves no half model behind.
            ModelConverter.Convert(checkpoint, dir, new ModelConversionOptions { ContextLength = 4096, Overwrite = true }, cancellationToken: cancellationToken);
        });
        return dir;
    }
}
