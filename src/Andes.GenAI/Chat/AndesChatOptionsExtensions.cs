using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Chat;

/// <summary>
/// Typed access to the Andes entries of <see cref="ChatOptions.AdditionalProperties"/>: the skill
/// (<c>andes.skill</c>) and the LoRA adapter (<c>andes.adapter</c>) a request runs with.
/// </summary>
public static class AndesChatOptionsExtensions
{
    /// <summary>Runs the request as a skill: its instructions, default options and adapter apply (see <see cref="Skills.Skill"/>).</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="skill">The skill's name in the client's <see cref="Skills.SkillRegistry"/>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithSkill(this ChatOptions options, string skill) => Set(options, AndesChatOptionKeys.Skill, skill);

    /// <summary>Runs the request with a LoRA adapter active (overriding a skill's adapter).</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="adapter">The adapter's name in the client's <see cref="Adapters.AdapterRegistry"/>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithAdapter(this ChatOptions options, string adapter) => Set(options, AndesChatOptionKeys.Adapter, adapter);

    /// <summary>The skill a request asks for, or null.</summary>
    /// <param name="options">The options, or null.</param>
    /// <exception cref="ArgumentException">The entry is present but not a string.</exception>
    public static string? GetSkill(this ChatOptions? options) => Get(options, AndesChatOptionKeys.Skill);

    /// <summary>The adapter a request asks for, or null.</summary>
    /// <param name="options">The options, or null.</param>
    /// <exception cref="ArgumentException">The entry is present but not a string.</exception>
    public static string? GetAdapter(this ChatOptions? options) => Get(options, AndesChatOptionKeys.Adapter);

    private static ChatOptions Set(ChatOptions options, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(value);
        (options.AdditionalProperties ??= [])[key] = value;
        return options;
    }

    private static string? Get(ChatOptions? options, string key)
    {
        if (options?.AdditionalProperties?.TryGetValue(key, out object? value) != true)
        {
            return null;
        }

        return value switch
        {
            null => null,
            string s => s.Length == 0 ? null : s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{key}\"] must be a string, not '{value}' ({value.GetType().Name}).", nameof(options)),
        };
    }
}
