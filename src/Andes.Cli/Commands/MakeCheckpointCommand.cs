using System.CommandLine;
using System.Diagnostics;
using Andes.ModelBuilder;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes make-checkpoint</c>: a seeded random AndesVL checkpoint in the Hugging Face layout.</summary>
internal static class MakeCheckpointCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = "tiny, 0.6b, 1b, 2b or 4b.", DefaultValueFactory = _ => "tiny" };
        shape.AcceptOnlyFromAmong("tiny", "0.6b", "1b", "2b", "4b");
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed writes identical files.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output") { Description = "The checkpoint folder to write.", Required = true };
        var command = new Command("make-checkpoint", "Write a seeded random AndesVL checkpoint (real tensor names, config and tokenizer) for tests and benchmarks.")
        {
            shape, seed, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            string dir = parse.GetValue(output)!.FullName;
            var stopwatch = Stopwatch.StartNew();
            GeneratedCheckpoint result = ConsoleProgress.Run("generating", display => CheckpointGenerator.Generate(
                dir,
                CheckpointShape.Parse(parse.GetValue(shape)!),
                new CheckpointGeneratorOptions
                {
                    Seed = parse.GetValue(seed),
                    Progress = new SynchronousProgress<CheckpointGenerationProgress>(p => display.Report(p.TotalBytes > 0 ? (double)p.BytesWritten / p.TotalBytes : 0, "writing", p.TensorName)),
                },
                cancellationToken));
            AnsiConsole.MarkupLine(
                $"wrote [green]{Markup.Escape(dir)}[/]: {result.TensorCount} tensors, {result.TensorBytes / 1048576.0:F1} MiB in {stopwatch.Elapsed.TotalSeconds:F1} s");
            IReadOnlyList<CheckpointTensorSpec> specs = CheckpointGenerator.GetTensorSpecs(result.Config);
            double Millions(string prefix) => specs.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).Sum(s => s.ElementCount) / 1e6;
            AnsiConsole.MarkupLine(
                $"parameters: language model {Millions("language_model."):F1} M, vision tower {Millions("vision_encoder."):F1} M, connector {Millions("mlp."):F1} M");
            return Task.FromResult(0);
        });
        return command;
    }
}
