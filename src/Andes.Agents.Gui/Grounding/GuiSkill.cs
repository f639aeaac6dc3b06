using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Grounding;

/// <summary>
/// How the GUI agent asks for a task-specific LoRA skill (AndesVL's "1+N LoRA") without depending on the engine: it
/// puts the skill's name under <see cref="ChatOptionsKey"/> in <see cref="ChatOptions.AdditionalProperties"/>. A client
/// that knows skills activates the adapter registered under that name; one that does not (or has no such skill)
/// ignores the key and answers with the base model.
/// </summary>
public static class GuiSkill
{
    /// <summary>The skill name the GUI agent uses by default: <c>gui</c>.</summary>
    public const string DefaultName = "gui";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key: <c>andes.skill</c>.</summary>
    public const string ChatOptionsKey = "andes.skill";

    /// <summary>Sets the skill on chat options.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="skillName">The skill name (e.g. <c>gui</c>).</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithSkill(this ChatOptions options, string skillName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(skillName);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[ChatOptionsKey] = skillName;
        return options;
    }

    /// <summary>Reads the skill name from chat options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The skill name, or null.</returns>
    public static string? GetSkill(this ChatOptions? options)
        => options?.AdditionalProperties is { } p && p.TryGetValue(ChatOptionsKey, out object? v) ? v as string : null;
}
