using System.CommandLine;
using System.Globalization;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes generate</c>: one completion, from a chat prompt or from raw token ids, on the base model or with a LoRA
/// adapter (<c>--adapter</c>) or skill (<c>--skill</c>) active, so <c>--ids</c> outputs can be compared.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model folder.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "The user message (rendered with the chat template)." };
        var inputIds = new Option<string?>("--input-ids") { Description = "The prompt as raw comma-separated token ids (no chat template)." };
        var ids = new Option<bool>("--ids") { Description = "Print the generated token ids (comma-separated) instead of the text." };
        Option<GenerationEngine> engine = EngineOption.Create();
        var sampling = new SamplingOptions();
        var adapters = new AdapterOptions();
        var images = new ImageOptions();
        var command = new Command("generate", "Generate one completion.") { model, prompt, inputIds, ids, engine };
        sampling.AddTo(command);
        adapters.AddTo(command);
        images.AddTo(command);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(prompt) is null) == (result.GetValue(inputIds) is null))
            {
                result.AddError("Give exactly one of --prompt and --input-ids.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            using AndesModel m = AndesModel.Load(parse.GetValue(model)!.FullName, new AndesModelOptions { Engine = parse.GetValue(engine) });
            Skill? skill = AdapterOptions.ResolveSkill(parse.GetValue(adapters.Skill), m, out SkillRegistry? skills);
            string? adapterName = parse.GetValue(adapters.Adapter) ?? skill?.Adapter;
            if (m.Engine != GenerationEngine.Andes && adapterName is not null)
            {
                throw TokenSequences.AdapterNotSupported(m, adapterName); // before anything is loaded or run
            }

            using LoraAdapter? adapter = AdapterOptions.LoadAdapter(parse.GetValue(adapters.Adapter), skill, skills, m);
            ChatOptions? skillOptions = skill?.ApplyTo(null);
            string[] imageFiles = parse.GetValue(images.Images) ?? [];
            ImageOptions.RequireVision(m, imageFiles.Length);
            GenerationOptions defaults = GenerationOptionsMapper.Map(GenerationOptions.FromSearch(m.Config.Search), skillOptions);
            GenerationOptions options = sampling.Apply(parse, defaults);
            using ITokenSequence generator = TokenSequences.Create(m, options, adapter: adapter);
            if (parse.GetValue(inputIds) is { } rawIds && m.Engine != GenerationEngine.Andes)
            {
                if (imageFiles.Length > 0)
                {
                    throw new EngineFeatureNotSupportedException(m.Engine, "--input-ids with --image", "it needs the image features alone, which ONNX Runtime GenAI computes only inside a generator; use --prompt with --image, or --engine andes.");
                }

                generator.AppendTokens(ParseIds(rawIds));
            }
            else if (parse.GetValue(inputIds) is { } raw)
            {
                (int[] promptIds, float[] features) = FillImagePads(m, ParseIds(raw), imageFiles, parse.GetValue(images.MaxSize));
                ((Generator)generator).AppendTokens(promptIds, features);
            }
            else
            {
                List<AIContent> contents = [.. imageFiles.Select(ImageOptions.Load), new TextContent(parse.GetValue(prompt)!)];
                ChatPrompt rendered = AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, contents)], ChatTemplateOptions.FromChatOptions(skillOptions));
                generator.AppendPrompt(m.Encode(rendered, new PromptEncodingOptions { ImageMaxSize = parse.GetValue(images.MaxSize) }));
            }

            var streamer = new TextStreamer(generator, options.StopSequences);
            bool printIds = parse.GetValue(ids);
            var generated = new List<int>();
            while (!streamer.IsDone)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string text = streamer.Step();
                generated.Add(streamer.LastToken);
                if (!printIds)
                {
                    Console.Out.Write(text);
                }
            }

            if (printIds)
            {
                Console.Out.WriteLine(string.Join(",", generated));
            }
            else
            {
                Console.Out.WriteLine(streamer.Complete());
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// Fills each run of <c>&lt;|vision_pad|&gt;</c> ids with the next image: a run of one pad is expanded to the
    /// image's token count; a longer run must already have it. Returns the ids and the images' feature rows.
    /// </summary>
    internal static (int[] Ids, float[] Features) FillImagePads(AndesModel model, int[] ids, string[] imageFiles, int? maxSize)
    {
        int pad = model.Config.Model.ImageTokenId ?? 151654;
        var result = new List<int>(ids.Length);
        var features = new List<float>();
        int next = 0;
        for (int i = 0; i < ids.Length;)
        {
            if (ids[i] != pad)
            {
                result.Add(ids[i++]);
                continue;
            }

            int run = 0;
            while (i + run < ids.Length && ids[i + run] == pad)
            {
                run++;
            }

            if (next >= imageFiles.Length)
            {
                throw new ArgumentException($"--input-ids: the vision pad run at position {i} ({run} x {pad}) has no image; give one --image per run ({imageFiles.Length} given).");
            }

            Andes.GenAI.ImageProcessor processor = model.ImageProcessor!;
            if (maxSize is { } size)
            {
                Andes.GenAI.ImageProcessorOptions o = processor.Options;
                o.MaxSize = size;
                processor = new Andes.GenAI.ImageProcessor(o);
            }

            using Andes.GenAI.ProcessedImage image = processor.ProcessFile(imageFiles[next]);
            if (run != 1 && run != image.TokenCount)
            {
                throw new ArgumentException(
                    $"--input-ids: the vision pad run at position {i} has {run} pads but image '{imageFiles[next]}' takes {image.TokenCount} ({image.Geometry}); give 1 pad (expanded) or exactly {image.TokenCount}.");
            }

            result.AddRange(Enumerable.Repeat(pad, image.TokenCount));
            features.AddRange(model.EncodeImage(image).Values.ToArray());
            next++;
            i += run;
        }

        if (next != imageFiles.Length)
        {
            throw new ArgumentException($"--input-ids: {imageFiles.Length} --image given but the ids have {next} vision pad run(s) ({pad}).");
        }

        return ([.. result], [.. features]);
    }

    internal static int[] ParseIds(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new FormatException($"--input-ids: '{parts[i]}' (item {i + 1}) is not a token id.");
            }
        }

        return result;
    }
}
