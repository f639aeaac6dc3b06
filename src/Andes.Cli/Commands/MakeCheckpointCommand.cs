using System.CommandLine;
using Andes.ModelBuilder.Checkpoints;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes make-checkpoint</c>: a seeded random AndesVL checkpoint in the Hugging Face layout.</summary>
internal static class MakeCheckpointCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = "tiny, 0.6b, 1b, 2b or 4b.", DefaultValueFactory = _ => "tiny" };
        shape.AcceptOnlyFromAmong("tiny", "0.6b", "1b", "2b", "4b");
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes identical files.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output") { Description = "The checkpoint folder to write.", Required = true };
        var command = new Command("make-checkpoint", "Write a seeded random AndesVL checkpoint (real tensor names, config and tokenizer) for tests and benchmarks.")
        {
            shape, seed, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            string dir = parse.GetValue(output)!.FullName;
            CheckpointGenerator.Generate(CheckpointShape.Parse(parse.GetValue(shape)!), parse.GetValue(seed), dir);
            AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(dir)}[/]");
            return Task.FromResult(0);
        });
        return command;
    }
}
