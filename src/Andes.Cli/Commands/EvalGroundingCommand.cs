using System.CommandLine;
using System.Diagnostics;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Evaluation;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes eval-grounding</c>: point-in-box accuracy (by platform and text/icon) and IoU of a model, or of the
/// ground-truth oracle, on a ScreenSpot-format or AndesUI-format dataset. With <c>--model</c> the image sizing (patch,
/// merge, rule, cap, minimum tokens and, unless <c>--max-size</c> says otherwise, <c>max_size</c>) is read from the
/// model folder's processor config, so the GUI's mapping and the engine agree exactly.
/// </summary>
internal static class EvalGroundingCommand
{
    public static Command Create()
    {
        var dataset = new Option<FileInfo>("--dataset") { Description = "The annotation file (ScreenSpot or AndesUI JSON).", Required = true };
        var model = ModelFolderOption.Create("The model to evaluate", required: false);
        var oracle = new Option<bool>("--oracle") { Description = "Answer from the ground truth instead (checks the pipeline: must score 100%)." };
        var format = new Option<string>("--format") { Description = "auto, screenspot or andesui.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "screenspot", "andesui");
        var boxFormat = new Option<string>("--box-format") { Description = "auto, xywh or xyxy.", DefaultValueFactory = _ => "auto" };
        boxFormat.AcceptOnlyFromAmong("auto", "xywh", "xyxy");
        var images = new Option<DirectoryInfo?>("--images") { Description = "The image folder (default: beside the annotation file)." };
        var scale = new Option<double>("--scale") { Description = "The model's coordinate scale.", DefaultValueFactory = _ => 1000 }.AtLeast(1.0);
        var frame = new Option<string>("--coordinates") { Description = "What the coordinates are relative to: source (the image as given, AndesVL's convention) or processed (the padded canvas).", DefaultValueFactory = _ => "source" };
        frame.AcceptOnlyFromAmong("source", "processed");
        var maxSize = new Option<int?>("--max-size") { Description = $"The image processor's max_size, sent to the engine with each request (default: the model's processor config; {ImageSizingOptions.DefaultMaxSize} with --oracle; the published evaluation used 1792)." }.AtLeast(28);
        var patchSize = new Option<int?>("--patch-size") { Description = "The vision tower's patch size for --oracle (14 AIMv2, 16 SigLIP2; with --model it is read from the model)." }.AtLeast(1);
        var rawPixels = new Option<bool>("--raw-pixels") { Description = "Decode PNG images here and send raw BGRA pixels (the path screen captures take) instead of the file's bytes." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var skill = new Option<string?>("--skill") { Description = "A LoRA skill to ask for (e.g. gui)." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N samples." }.AtLeast(1);
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report (with every answer) as JSON." };
        var command = new Command("eval-grounding", "Score GUI grounding: point-in-box accuracy by platform and text/icon, and IoU of box answers.")
        {
            dataset, model, oracle, format, boxFormat, images, scale, frame, maxSize, patchSize, rawPixels, maxTokens, skill, limit, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(model) is null) == !result.GetValue(oracle))
            {
                result.AddError("Give exactly one of --model and --oracle.");
            }

            if (result.GetValue(model) is not null && result.GetValue(patchSize) is not null)
            {
                result.AddError("--patch-size is read from the model with --model; give it only with --oracle.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(maxSize) is < 1 || parse.GetValue(maxTokens) < 1)
            {
                Console.Error.WriteLine("error: --max-size and --max-tokens must be positive.");
                return 1;
            }

            GroundingDataset data = GroundingDataset.Load(
                parse.GetValue(dataset)!.FullName,
                Enum.Parse<GroundingDatasetFormat>(parse.GetValue(format)!, ignoreCase: true),
                Enum.Parse<BoxFormat>(parse.GetValue(boxFormat)!, ignoreCase: true),
                parse.GetValue(images)?.FullName);
            Console.Out.WriteLine($"{data.Path}: {data.Samples.Count} samples, {data.Format} format, boxes {data.BoxFormat} ({data.BoxFormatReason})");

            AndesModel? engine = null;
            ImageSizingOptions sizing;
            if (ModelFolderOption.ResolveOptional(parse.GetValue(model)) is { } modelDir)
            {
                engine = AndesModel.Load(modelDir);
                if (!engine.SupportsImages)
                {
                    engine.Dispose();
                    Console.Error.WriteLine($"error: the model '{modelDir}' has no vision graph (genai_config.json has no model.vision section), so it cannot be evaluated on screenshots.");
                    return 1;
                }

                ImageProcessorOptions processor = engine.ImageProcessor!.Options; // a copy
                processor.MaxSize = parse.GetValue(maxSize) ?? processor.MaxSize;
                sizing = processor.ToSizingOptions();
            }
            else
            {
                sizing = new ImageSizingOptions { MaxSize = parse.GetValue(maxSize) ?? ImageSizingOptions.DefaultMaxSize, PatchSize = parse.GetValue(patchSize) ?? 14 };
            }

            var options = new GroundingOptions
            {
                Coordinates = new ModelCoordinateSystem(parse.GetValue(scale), parse.GetValue(frame) == "processed" ? ModelCoordinateFrame.ProcessedImage : ModelCoordinateFrame.SourceImage),
                Sizing = sizing,
                SkillName = parse.GetValue(skill),
                Transport = parse.GetValue(rawPixels) ? ImageTransport.RawPixels : ImageTransport.Auto,
                ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = parse.GetValue(maxTokens) },
            };
            Console.Out.WriteLine($"coordinates {options.Coordinates}; images max_size {sizing.MaxSize}, patch {sizing.PatchSize}, {sizing.Rule} rule; sent as {(parse.GetValue(rawPixels) ? "raw pixels" : "file bytes")}");

            using AndesModel? owned = engine;
            using IChatClient client = engine is null
                ? new OracleGroundingChatClient(data, options)
                : new AndesChatClient(engine, new AndesChatClientOptions { ImageMaxSize = sizing.MaxSize });
            var evaluator = new GroundingEvaluator(client, options);
            GroundingEvaluationReport report;
            try
            {
                var stopwatch = Stopwatch.StartNew();
                report = await evaluator.EvaluateAsync(data, limit: parse.GetValue(limit), cancellationToken: cancellationToken);
                Console.Out.WriteLine($"evaluated {report.Results.Count} samples in {stopwatch.Elapsed.TotalSeconds:F1} s");
            }
            catch (GroundingEvaluationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                if (e.InnerException is NotSupportedException)
                {
                    Console.Error.WriteLine("The engine cannot take image input for this model, so no score can be given.");
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
