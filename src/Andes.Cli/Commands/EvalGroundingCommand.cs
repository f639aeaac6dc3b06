using System.CommandLine;
using Andes.Agents.Gui.Evaluation;
using Andes.Agents.Gui.Grounding;
using Andes.GenAI.Chat;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes eval-grounding</c>: point-in-box accuracy (by platform and text/icon) and IoU of a model, or of the
/// ground-truth oracle, on a ScreenSpot-format or AndesUI-format dataset.
/// </summary>
internal static class EvalGroundingCommand
{
    public static Command Create()
    {
        var dataset = new Option<FileInfo>("--dataset") { Description = "The annotation file (ScreenSpot or AndesUI JSON).", Required = true };
        var model = new Option<DirectoryInfo?>("--model") { Description = "The model folder to evaluate." };
        var oracle = new Option<bool>("--oracle") { Description = "Answer from the ground truth instead (checks the pipeline: must score 100%)." };
        var format = new Option<string>("--format") { Description = "auto, screenspot or andesui.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "screenspot", "andesui");
        var boxFormat = new Option<string>("--box-format") { Description = "auto, xywh or xyxy.", DefaultValueFactory = _ => "auto" };
        boxFormat.AcceptOnlyFromAmong("auto", "xywh", "xyxy");
        var images = new Option<DirectoryInfo?>("--images") { Description = "The image folder (default: beside the annotation file)." };
        var scale = new Option<double>("--scale") { Description = "The model's coordinate scale.", DefaultValueFactory = _ => 1000 };
        var maxSize = new Option<int>("--max-size") { Description = "The image processor's max_size (must match the engine).", DefaultValueFactory = _ => 1792 };
        var patchSize = new Option<int>("--patch-size") { Description = "The vision tower's patch size (14 AIMv2, 16 SigLIP2).", DefaultValueFactory = _ => 14 };
        var skill = new Option<string?>("--skill") { Description = "A LoRA skill to ask for (e.g. gui)." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N samples." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report (with every answer) as JSON." };
        var command = new Command("eval-grounding", "Score GUI grounding: point-in-box accuracy by platform and text/icon, and IoU of box answers.")
        {
            dataset, model, oracle, format, boxFormat, images, scale, maxSize, patchSize, skill, limit, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(model) is null) == !result.GetValue(oracle))
            {
                result.AddError("Give exactly one of --model and --oracle.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new GroundingOptions
            {
                Coordinates = new ModelCoordinateSystem(parse.GetValue(scale)),
                Sizing = new ImageSizingOptions { MaxSize = parse.GetValue(maxSize), PatchSize = parse.GetValue(patchSize) },
                SkillName = parse.GetValue(skill),
            };
            GroundingDataset data = GroundingDataset.Load(
                parse.GetValue(dataset)!.FullName,
                Enum.Parse<GroundingDatasetFormat>(parse.GetValue(format)!, ignoreCase: true),
                Enum.Parse<BoxFormat>(parse.GetValue(boxFormat)!, ignoreCase: true),
                parse.GetValue(images)?.FullName);
            Console.Out.WriteLine($"{data.Path}: {data.Samples.Count} samples, {data.Format} format, boxes {data.BoxFormat} ({data.BoxFormatReason})");

            using IChatClient client = parse.GetValue(oracle)
                ? new OracleGroundingChatClient(data, options)
                : new AndesChatClient(parse.GetValue(model)!.FullName);
            var evaluator = new GroundingEvaluator(client, options);
            GroundingEvaluationReport report;
            try
            {
                report = await evaluator.EvaluateAsync(data, limit: parse.GetValue(limit), cancellationToken: cancellationToken);
            }
            catch (GroundingEvaluationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                if (e.InnerException is NotSupportedException)
                {
                    Console.Error.WriteLine("The engine cannot take image input for this model yet, so no score can be given.");
                }

                return 1;
            }

            Console.Out.Write(report.ToText());
            if (parse.GetValue(json) is { } jsonFile)
            {
                await File.WriteAllTextAsync(jsonFile.FullName, report.ToJson(), cancellationToken);
                Console.Out.WriteLine($"wrote {jsonFile.FullName}");
            }

            return 0;
        });
        return command;
    }
}
