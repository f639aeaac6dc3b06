using System.CommandLine;
using System.Diagnostics;
using Andes.ModelBuilder;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes make-adapter</c>: a seeded random PEFT LoRA adapter for a checkpoint, for tests and benchmarks.</summary>
internal static class MakeAdapterCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "The base checkpoint folder (its config.json gives the shapes).", Required = true };
        var rank = new Option<int>("--rank") { Description = "LoRA rank r.", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed writes identical files.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output") { Description = "The PEFT adapter folder to write.", Required = true };
        var alpha = new Option<double?>("--alpha") { Description = "lora_alpha (default 2 r)." }.Positive();
        var rsLora = new Option<bool>("--rslora") { Description = "rsLoRA scaling (alpha / sqrt(r))." };
        var targets = new Option<string>("--targets") { Description = LoraTargetsOption.Help, DefaultValueFactory = _ => "all" };
        var strength = new Option<float>("--strength") { Description = "Standard deviation of the merged update times sqrt(in_features).", DefaultValueFactory = _ => 0.5f }.AtLeast(0f);
        var dtype = new Option<string>("--dtype") { Description = "Stored element type: f32, bf16 or f16.", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "bf16", "f16");
        var command = new Command("make-adapter", "Write a seeded random PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors) for a checkpoint.")
        {
            checkpoint, rank, seed, output, alpha, rsLora, targets, strength, dtype,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var stopwatch = Stopwatch.StartNew();
            GeneratedLoraAdapter result = LoraAdapterGenerator.Generate(
                parse.GetValue(checkpoint)!.FullName,
                parse.GetValue(output)!.FullName,
                new LoraAdapterGeneratorOptions
                {
                    Rank = parse.GetValue(rank),
                    Seed = parse.GetValue(seed),
                    Alpha = parse.GetValue(alpha),
                    UseRsLora = parse.GetValue(rsLora),
                    Targets = LoraTargetsOption.Parse(parse.GetValue(targets)!),
                    Strength = parse.GetValue(strength),
                    DataType = parse.GetValue(dtype) switch { "bf16" => TensorDataType.BFloat16, "f16" => TensorDataType.Float16, _ => TensorDataType.Float32 },
                });
            AnsiConsole.MarkupLine(
                $"wrote [green]{Markup.Escape(result.Directory)}[/]: rank {result.Rank}, alpha {result.Alpha}, scale {result.Scale:G4}, {Markup.Escape(result.Targets.ToString())}, " +
                $"{result.TensorCount} tensors, {result.TensorBytes / 1048576.0:F1} MiB in {stopwatch.Elapsed.TotalSeconds:F1} s (base model {result.BaseModelFingerprint})");
            return Task.FromResult(0);
        });
        return command;
    }
}
