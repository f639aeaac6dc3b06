using System.CommandLine;
using System.Globalization;
using Andes.GenAI.Adapters;
using Andes.GenAI.Chat;
using Andes.GenAI.Generation;
using Andes.GenAI.Models;
using Andes.GenAI.Prompts;
using Andes.GenAI.Skills;
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
        var sampling = new SamplingOptions();
        var adapters = new AdapterOptions();
        var command = new Command("generate", "Generate one completion.") { model, prompt, inputIds, ids };
        sampling.AddTo(command);
        adapters.AddTo(command);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(prompt) is null) == (result.GetValue(inputIds) is null))
            {
                result.AddError("Give exactly one of --prompt and --input-ids.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            using AndesModel m = AndesModel.Load(parse.GetValue(model)!.FullName);
            Skill? skill = AdapterOptions.ResolveSkill(parse.GetValue(adapters.Skill), m, out SkillRegistry? skills);
            using LoraAdapter? adapter = AdapterOptions.LoadAdapter(parse.GetValue(adapters.Adapter), skill, skills, m);
            ChatOptions? skillOptions = skill?.ApplyTo(null);
            int[] promptIds = parse.GetValue(inputIds) is { } raw
                ? ParseIds(raw)
                : m.EncodePrompt(AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, parse.GetValue(prompt)!)], ChatTemplateOptions.FromChatOptions(skillOptions)));
            GenerationOptions defaults = GenerationOptionsMapper.Map(GenerationOptions.FromSearch(m.Config.Search), skillOptions);
            GenerationOptions options = sampling.Apply(parse, defaults);
            using var generator = new Generator(m, options, adapter);
            generator.AppendTokens(promptIds);
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
