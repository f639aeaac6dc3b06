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
        var model = ModelFolderOption.Create();
        var prompt = new Option<string?>("--prompt") { Description = "The user message (rendered with the chat template)." };
        var inputIds = new Option<string?>("--input-ids") { Description = "The prompt as raw comma-separated token ids (no chat template)." };
        var ids = new Option<bool>("--ids") { Description = "Print the generated token ids (comma-separated) instead of the text." };
        Option<GenerationEngine> engine = EngineOption.Create();
        var sampling = new SamplingOptions();
        var adapters = new AdapterOptions();
        var images = new ImageOptions();
        var speculative = new SpeculativeOptions();
        var command = new Command("generate", "Generate one completion.") { model, prompt, inputIds, ids, engine };
        sampling.AddTo(command);
        adapters.AddTo(command);
        images.AddTo(command);
        speculative.AddTo(command);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(prompt) is null) == (result.GetValue(inputIds) is null))
            {
                result.AddError("Give exactly one of --prompt and --input-ids.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            // Option values first (images, adapter, skill), then the model folder: a wrong value is reported before a missing model.
            string requested = parse.GetValue(model)!;
            List<AIContent> imageContents = images.LoadAll(parse);
            adapters.CheckBeforeLoad(parse, ModelFolderOption.Locate(requested));
            string folder = ModelFolderOption.Resolve(requested);
            using AndesModel m = AndesModel.Load(folder, new AndesModelOptions { Engine = parse.GetValue(engine) });
            SpeculativeDecodingOptions? speculation = speculative.Create(parse, out AndesModel? draftModel);
            using AndesModel? draft = draftModel;
            Skill? skill = AdapterOptions.ResolveSkill(parse.GetValue(adapters.Skill), m, out SkillRegistry? skills);
            using LoraAdapter? adapter = AdapterOptions.LoadAdapter(parse.GetValue(adapters.Adapter), skill, skills, m);
            ChatOptions? skillOptions = skill?.ApplyTo(null);
            ImageOptions.RequireVision(m, imageContents.Count);
            GenerationOptions defaults = GenerationOptions.FromSearch(m.Config.Search).WithChatOptions(skillOptions);
            GenerationOptions options = sampling.Apply(parse, defaults);
            options.SpeculativeDecoding = speculation;
            var encoding = new PromptEncodingOptions { ImageMaxSize = parse.GetValue(images.MaxSize) };
            EncodedPrompt encoded;
            if (parse.GetValue(inputIds) is { } raw)
            {
                encoded = m.Encode(ParseIds(raw), imageContents, encoding);
            }
            else
            {
                ChatPrompt rendered = AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, [.. imageContents, new TextContent(parse.GetValue(prompt)!)])], ChatTemplateOptions.FromChatOptions(skillOptions));
                encoded = m.Encode(rendered, encoding);
            }

            using ITokenGenerator generator = m.CreateGenerator(options, adapter);
            using (cancellationToken.Register(generator.Terminate))
            {
                generator.AppendPrompt(encoded); // Ctrl+C stops the prompt pass too (OperationCanceledException)
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

            if (speculation is not null && (generator as Generator)?.SpeculativeDecoding is { } statistics)
            {
                Console.Error.WriteLine(SpeculativeOptions.Describe(speculation, statistics, generator.GeneratedTokenCount));
            }

            return Task.FromResult(0);
        });
        return command;
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
