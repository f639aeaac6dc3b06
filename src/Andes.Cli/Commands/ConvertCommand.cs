using System.CommandLine;
using System.Globalization;
using Andes.ModelBuilder;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes convert</c>: a Hugging Face AndesVL checkpoint to an ONNX Runtime GenAI model folder.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "The Hugging Face checkpoint folder (config.json, safetensors, tokenizer files).", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "The model folder to write.", Required = true };
        var precision = new Option<string>("--precision") { Description = "Linear-layer precision: int4, int8 or fp32.", DefaultValueFactory = _ => "int4" };
        precision.AcceptOnlyFromAmong("int4", "int8", "fp32");
        var blockSize = new Option<int>("--block-size") { Description = "Quantisation block size (16-256, power of two).", DefaultValueFactory = _ => 32 };
        var asymmetric = new Option<bool>("--asymmetric") { Description = "Asymmetric quantisation (zero points per block)." };
        var accuracy = new Option<int>("--accuracy-level") { Description = "MatMulNBits accuracy_level: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 compute.", DefaultValueFactory = _ => 4 }.Between(0, 4);
        var lmHead = new Option<string?>("--lm-head-precision") { Description = "lm_head precision (int4, int8, fp32); default: as --precision." };
        lmHead.AcceptOnlyFromAmong("int4", "int8", "fp32");
        var embedding = new Option<string?>("--embedding-precision") { Description = "Embedding table precision (fp16, fp32); default fp16 for quantised models." };
        embedding.AcceptOnlyFromAmong("fp16", "fp32");
        var context = new Option<int?>("--context-length") { Description = "Context length (default: the checkpoint's max_position_embeddings)." }.AtLeast(1);
        var loraTargets = new Option<string>("--lora-targets") { Description = "Projections that take LoRA adapter inputs. " + LoraTargetsOption.Help, DefaultValueFactory = _ => "none" };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder (the old model stays intact until the new one is complete; skills and adapters in it are kept)." };
        var unfused = new Option<bool>("--lora-unfused") { Description = "One LoRA A input per projection (default: the A of q/k/v and of gate/up are fused, one product per group)." };

        var command = new Command("convert", "Convert a Hugging Face AndesVL checkpoint into an ONNX Runtime GenAI model folder.")
        {
            checkpoint, output, precision, blockSize, asymmetric, accuracy, lmHead, embedding, context, loraTargets, unfused, force,
        };
        blockSize.Validators.Add(r =>
        {
            if (OptionRules.TryGetValue(r, out int value) && (value < 16 || value > 256 || !int.IsPow2(value)))
            {
                r.AddError($"--block-size {value}: give a power of two from 16 to 256 (16, 32, 64, 128 or 256).");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ModelConversionOptions
            {
                Precision = ParsePrecision(parse.GetValue(precision)!),
                BlockSize = parse.GetValue(blockSize),
                Symmetric = !parse.GetValue(asymmetric),
                AccuracyLevel = parse.GetValue(accuracy),
                LmHeadPrecision = parse.GetValue(lmHead) is { } l ? ParsePrecision(l) : null,
                EmbeddingPrecision = parse.GetValue(embedding) is { } e ? ParsePrecision(e) : null,
                ContextLength = parse.GetValue(context),
                LoraTargets = LoraTargetsOption.Parse(parse.GetValue(loraTargets)!),
                FuseLoraA = !parse.GetValue(unfused),
                Overwrite = parse.GetValue(force),
            };
            ConvertWithProgress(parse.GetValue(checkpoint)!.FullName, parse.GetValue(output)!.FullName, options, cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Converts with the progress display, then prints the summary table (also used by <c>andes pull</c>).</summary>
    internal static ModelConversionResult ConvertWithProgress(string source, string target, ModelConversionOptions options, CancellationToken cancellationToken)
    {
        ModelConversionResult result = ConsoleProgress.Run("converting", display => ModelConverter.Convert(
            source, target, options, new SynchronousProgress<ModelConversionProgress>(p => display.Report(p.Fraction, p.Stage, p.TensorName)), cancellationToken));
        PrintSummary(result);
        return result;
    }

    // The options accept only these names (AcceptOnlyFromAmong), so a bad one never gets here.
    internal static WeightPrecision ParsePrecision(string value) => value switch
    {
        "int4" => WeightPrecision.Int4,
        "int8" => WeightPrecision.Int8,
        "fp32" => WeightPrecision.Float32,
        "fp16" => WeightPrecision.Float16,
        _ => throw new ArgumentException($"Unknown precision '{value}'."),
    };

    private static void PrintSummary(ModelConversionResult result)
    {
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        table.AddRow("model folder", Markup.Escape(result.OutputDirectory));
        table.AddRow("tensors", result.Tensors.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("bytes written", $"{result.BytesWritten:N0} ({result.BytesWritten / 1048576.0:F1} MiB)");
        table.AddRow("time", $"{result.Elapsed.TotalSeconds:F1} s");
        foreach ((string stage, TimeSpan elapsed) in result.StageElapsed)
        {
            table.AddRow($"  {Markup.Escape(stage)}", $"{elapsed.TotalSeconds:F1} s");
        }

        table.AddRow("peak memory (working set)", $"{result.PeakWorkingSetBytes / 1048576.0:F0} MiB");
        TensorConversionRecord? worst = result.Tensors.MaxBy(t => t.MaxAbsError);
        if (worst is { MaxAbsError: > 0 })
        {
            table.AddRow("largest quantisation error", $"{worst.MaxAbsError:G3} ({Markup.Escape(worst.Name)})");
            table.AddRow("mean quantisation error", $"{result.Tensors.Where(t => t.MeanAbsError > 0).Average(t => t.MeanAbsError):G3}");
        }

        AnsiConsole.Write(table);
    }
}
