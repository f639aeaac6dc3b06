using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel;

/// <summary>
/// Gives the setting keys that Semantic Kernel leaves in <see cref="ChatOptions.AdditionalProperties"/> the names and
/// types <see cref="Andes.GenAI.AndesChatClient"/> reads: sampling keys SK could not convert move onto their
/// <see cref="ChatOptions"/> properties, engine keys get float/bool values, <c>skill</c>/<c>adapter</c> become
/// <c>andes.skill</c>/<c>andes.adapter</c>.
/// </summary>
internal static class AndesChatOptionsNormalizer
{
    private const string Source = "ChatOptions.AdditionalProperties";

    private static readonly HashSet<string> Recognised = new(StringComparer.OrdinalIgnoreCase)
    {
        AndesExecutionSettingKeys.Temperature,
        AndesExecutionSettingKeys.TopP,
        AndesExecutionSettingKeys.TopK,
        AndesExecutionSettingKeys.MaxTokens,
        AndesExecutionSettingKeys.StopSequences,
        AndesExecutionSettingKeys.Seed,
        AndesExecutionSettingKeys.FrequencyPenalty,
        AndesExecutionSettingKeys.PresencePenalty,
        AndesExecutionSettingKeys.MinP,
        AndesExecutionSettingKeys.RepetitionPenalty,
        AndesExecutionSettingKeys.DoSample,
        AndesExecutionSettingKeys.EnableThinking,
        AndesExecutionSettingKeys.Skill,
        AndesExecutionSettingKeys.Adapter,
        AndesExecutionSettingKeys.SkillProperty,
        AndesExecutionSettingKeys.AdapterProperty,
    };

    /// <summary>Returns <paramref name="options"/> itself when it has no recognised key, otherwise a normalised copy.</summary>
    /// <exception cref="ArgumentException">A recognised key has a value of the wrong type.</exception>
    public static ChatOptions? Normalize(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties || !properties.Keys.Any(Recognised.Contains))
        {
            return options;
        }

        ChatOptions copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(properties);
        NormalizeInPlace(copy);
        return copy;
    }

    /// <summary>Normalises <paramref name="options"/> in place.</summary>
    /// <exception cref="ArgumentException">A recognised key has a value of the wrong type.</exception>
    public static void NormalizeInPlace(ChatOptions options)
    {
        AdditionalPropertiesDictionary? p = options.AdditionalProperties;
        if (p is not { Count: > 0 })
        {
            return;
        }

        if (Take(p, AndesExecutionSettingKeys.Temperature, out string key, out object? value))
        {
            options.Temperature ??= ExecutionSettingValue.ToSingle(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.TopP, out key, out value))
        {
            options.TopP ??= ExecutionSettingValue.ToSingle(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.TopK, out key, out value))
        {
            options.TopK ??= ExecutionSettingValue.ToInt32(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.MaxTokens, out key, out value))
        {
            options.MaxOutputTokens ??= ExecutionSettingValue.ToInt32(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.Seed, out key, out value))
        {
            options.Seed ??= ExecutionSettingValue.ToInt64(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.FrequencyPenalty, out key, out value))
        {
            options.FrequencyPenalty ??= ExecutionSettingValue.ToSingle(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.PresencePenalty, out key, out value))
        {
            options.PresencePenalty ??= ExecutionSettingValue.ToSingle(value, key, Source);
        }

        if (Take(p, AndesExecutionSettingKeys.StopSequences, out key, out value))
        {
            options.StopSequences ??= ExecutionSettingValue.ToStringList(value, key, Source);
        }

        Retype(p, AndesExecutionSettingKeys.MinP, AndesExecutionSettingKeys.MinP, (v, k) => ExecutionSettingValue.ToSingle(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.RepetitionPenalty, AndesExecutionSettingKeys.RepetitionPenalty, (v, k) => ExecutionSettingValue.ToSingle(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.DoSample, AndesExecutionSettingKeys.DoSample, (v, k) => ExecutionSettingValue.ToBoolean(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.EnableThinking, AndesExecutionSettingKeys.EnableThinking, (v, k) => ExecutionSettingValue.ToBoolean(v, k, Source));

        // The canonical key wins over its short alias when both are present.
        Retype(p, AndesExecutionSettingKeys.Skill, AndesExecutionSettingKeys.SkillProperty, (v, k) => ExecutionSettingValue.ToText(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.SkillProperty, AndesExecutionSettingKeys.SkillProperty, (v, k) => ExecutionSettingValue.ToText(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.Adapter, AndesExecutionSettingKeys.AdapterProperty, (v, k) => ExecutionSettingValue.ToText(v, k, Source));
        Retype(p, AndesExecutionSettingKeys.AdapterProperty, AndesExecutionSettingKeys.AdapterProperty, (v, k) => ExecutionSettingValue.ToText(v, k, Source));

        if (p.Count == 0)
        {
            options.AdditionalProperties = null;
        }
    }

    private static bool Take(AdditionalPropertiesDictionary properties, string name, out string key, out object? value)
    {
        if (!ExecutionSettingValue.TryFind(properties, name, out key, out value))
        {
            return false;
        }

        properties.Remove(key);
        return true;
    }

    private static void Retype(AdditionalPropertiesDictionary properties, string name, string canonical, Func<object?, string, object?> convert)
    {
        if (!Take(properties, name, out string key, out object? value))
        {
            return;
        }

        object? converted = convert(value, key);
        bool alias = !string.Equals(name, canonical, StringComparison.OrdinalIgnoreCase);
        if (converted is not null && !(alias && ExecutionSettingValue.TryFind(properties, canonical, out _, out _)))
        {
            properties[canonical] = converted;
        }
    }
}
