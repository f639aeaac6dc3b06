using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes;

/// <summary>
/// Typed access to the Andes entries of <see cref="ChatOptions.AdditionalProperties"/>: the skill
/// (<c>andes.skill</c>) and the LoRA adapter (<c>andes.adapter</c>) a request runs with.
/// </summary>
public static class AndesChatOptionsExtensions
{
    /// <summary>Runs the request as a skill: its instructions, default options and adapter apply (a skill of the engine's <c>SkillRegistry</c>).</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="skill">The skill's name in the client's <c>SkillRegistry</c>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithSkill(this ChatOptions options, string skill) => Set(options, AndesChatOptionKeys.Skill, skill);

    /// <summary>Runs the request with a LoRA adapter active (overriding a skill's adapter).</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="adapter">The adapter's name in the client's <c>AdapterRegistry</c>.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithAdapter(this ChatOptions options, string adapter) => Set(options, AndesChatOptionKeys.Adapter, adapter);

    /// <summary>
    /// Decodes this request with prompt lookup: tokens that continue an n-gram seen earlier in the conversation (a
    /// label copied from the screen, an argument copied into a tool call) are proposed and checked several per decoder
    /// pass. Exact: greedy output is unchanged and sampling keeps its distribution.
    /// </summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="draftTokens">The most tokens proposed per pass (1 to 32).</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithPromptLookupDecoding(this ChatOptions options, int draftTokens = 8)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(draftTokens, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(draftTokens, 32);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[AndesChatOptionKeys.SpeculativeDecoding] = "prompt-lookup";
        options.AdditionalProperties[AndesChatOptionKeys.DraftTokens] = draftTokens;
        return options;
    }

    /// <summary>Decodes this request one token per pass, even when the client speculates by default.</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithoutSpeculativeDecoding(this ChatOptions options) => Set(options, AndesChatOptionKeys.SpeculativeDecoding, "off");

    /// <summary>The skill a request asks for, or null.</summary>
    /// <param name="options">The options, or null.</param>
    /// <exception cref="ArgumentException">The entry is present but not a string.</exception>
    public static string? GetSkill(this ChatOptions? options) => Get(options, AndesChatOptionKeys.Skill);

    /// <summary>The adapter a request asks for, or null.</summary>
    /// <param name="options">The options, or null.</param>
    /// <exception cref="ArgumentException">The entry is present but not a string.</exception>
    public static string? GetAdapter(this ChatOptions? options) => Get(options, AndesChatOptionKeys.Adapter);

    /// <summary>Sizes this request's images to at most <paramref name="maxSize"/> squared pixels of area (AndesVL's <c>max_size</c>).</summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="maxSize">The size, at least one merged patch (e.g. 28).</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithImageMaxSize(this ChatOptions options, int maxSize)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSize);
        (options.AdditionalProperties ??= [])[AndesChatOptionKeys.ImageMaxSize] = maxSize;
        return options;
    }

    /// <summary>The image size a request asks for, or null.</summary>
    /// <param name="options">The options, or null.</param>
    /// <exception cref="ArgumentException">The entry is present but not a positive integer.</exception>
    public static int? GetImageMaxSize(this ChatOptions? options)
    {
        if (options?.AdditionalProperties?.TryGetValue(AndesChatOptionKeys.ImageMaxSize, out object? value) != true || value is null)
        {
            return null;
        }

        int? size = value switch
        {
            int i => i,
            long l when l is > 0 and <= int.MaxValue => (int)l,
            JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out int i) => i,
            string s when int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) => i,
            _ => null,
        };
        return size is > 0 ? size : throw new ArgumentException(
            $"ChatOptions.AdditionalProperties[\"{AndesChatOptionKeys.ImageMaxSize}\"] must be a positive integer, not '{value}' ({value.GetType().Name}).", nameof(options));
    }

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
