using System.CommandLine;
using Andes.GenAI;
using Andes.ModelBuilder;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes convert-adapter</c>: a PEFT LoRA adapter to ONNX Runtime's <c>.onnx_adapter</c> for a model folder.</summary>
internal static class ConvertAdapterCommand
{
    public static Command Create()
    {
        var adapter = new Option<DirectoryInfo>("--adapter") { Description = "The PEFT adapter folder (adapter_config.json + adapter_model.safetensors).", Required = true };
        var model = ModelFolderOption.Create("The model converted with LoRA targets (andes_lora.json)");
        var output = new Option<FileInfo>("--output") { Description = "The .onnx_adapter file to write.", Required = true };
        var version = new Option<int>("--adapter-version") { Description = "The adapter's version number, stored in the file.", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var command = new Command("convert-adapter", "Convert a PEFT LoRA adapter into an .onnx_adapter file checked against a model folder.") { adapter, model, output, version };
        command.SetAction((parse, cancellationToken) =>
        {
            LoraAdapterConversionResult result = LoraAdapterConverter.Convert(
                parse.GetValue(adapter)!.FullName, ModelFolderOption.Resolve(parse.GetValue(model)!), parse.GetValue(output)!.FullName, parse.GetValue(version));
            AnsiConsole.MarkupLine(
                $"wrote [green]{Markup.Escape(result.OutputFile)}[/]: {result.ParameterCount} parameters, rank {result.Rank}, {Markup.Escape(result.Targets.ToString())}, " +
                $"{result.BytesWritten / 1048576.0:F2} MiB, model_version {result.ModelVersion}");
            return Task.FromResult(0);
        });
        return command;
    }
}
