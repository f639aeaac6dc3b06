using System.CommandLine;
using Andes.GenAI;
namespace Andes.Cli.Commands;

/// <summary>The <c>--adapter</c> / <c>--skill</c> options shared by <c>generate</c> and <c>chat</c>.</summary>
internal sealed class AdapterOptions
{
    public Option<string?> Adapter { get; } = new("--adapter") { Description = "A LoRA adapter to activate: an .onnx_adapter file or a PEFT adapter folder." };

    public Option<string?> Skill { get; } = new("--skill") { Description = "Run as a skill from the model folder's skills.json (its adapter, instructions and default options)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Adapter);
        command.Options.Add(Skill);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Adapter) is not null && result.GetValue(Skill) is not null)
            {
                result.AddError("Give at most one of --adapter and --skill.");
            }
        });
    }

    /// <summary>
    /// Checks <c>--adapter</c> and <c>--skill</c> against the files before the model loads: the adapter path exists,
    /// and the skill is in the folder's skills.json. (Whether the adapter fits the model needs the model.)
    /// </summary>
    public void CheckBeforeLoad(ParseResult parse, string modelDirectory)
    {
        if (parse.GetValue(Adapter) is { } path && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new ArgumentException($"--adapter {path}: no such file or folder (give an .onnx_adapter file or a PEFT adapter folder).");
        }

        if (parse.GetValue(Skill) is not { } name || !Directory.Exists(modelDirectory))
        {
            return;
        }

        SkillRegistry skills = SkillRegistry.TryLoadFromModelDirectory(modelDirectory)
            ?? throw new ArgumentException($"--skill {name}: the model folder '{modelDirectory}' has no {SkillRegistry.FileName}, so it has no skills.");
        if (!skills.TryGet(name, out _))
        {
            string known = skills.Skills.Count == 0 ? "none" : string.Join(", ", skills.Skills.Select(s => s.Name));
            throw new ArgumentException($"--skill {name}: {Path.Combine(modelDirectory, SkillRegistry.FileName)} has no such skill (its skills: {known}).");
        }
    }

    /// <summary>The skill named by <c>--skill</c> (from the model folder's skills.json), or null.</summary>
    public static Skill? ResolveSkill(string? name, AndesModel model, out SkillRegistry? skills)
    {
        skills = null;
        if (name is null)
        {
            return null;
        }

        skills = SkillRegistry.TryLoadFromModelDirectory(model.Directory)
            ?? throw new ArgumentException($"--skill {name}: the model folder '{model.Directory}' has no {SkillRegistry.FileName}.");
        return skills.Get(name);
    }

    /// <summary>Loads the adapter named by <c>--adapter</c>, or the skill's adapter; null for the base model.</summary>
    public static LoraAdapter? LoadAdapter(string? path, Skill? skill, SkillRegistry? skills, AndesModel model)
    {
        if (path is not null)
        {
            return LoraAdapter.Load(model, path);
        }

        if (skill?.Adapter is not { } adapterName)
        {
            return null;
        }

        return skills!.AdapterFiles.TryGetValue(adapterName, out string? file)
            ? LoraAdapter.Load(model, file, adapterName)
            : throw new ArgumentException($"Skill '{skill.Name}' uses adapter '{adapterName}', which {SkillRegistry.FileName} does not list.");
    }
}
