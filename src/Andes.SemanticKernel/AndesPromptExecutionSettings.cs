using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel;

/// <summary>
/// Semantic Kernel execution settings for Andes models: the sampling settings of <c>ChatOptions</c> plus the engine's
/// own (<c>min_p</c>, <c>repetition_penalty</c>, <c>do_sample</c>, <c>enable_thinking</c>) and the LoRA <c>skill</c> /
/// <c>adapter</c> keys.
/// </summary>
/// <remarks>
/// <para>Serialises with the snake_case names of <see cref="AndesExecutionSettingKeys"/>, so the same keys work in
/// prompt configuration files, in <see cref="PromptExecutionSettings.ExtensionData"/> of plain settings, and here.
/// Unset (null) properties leave the model folder's generation defaults in place.</para>
/// <para>When a request is made, the properties are copied onto the <c>ChatOptions</c>: the sampling ones onto their
/// <c>ChatOptions</c> properties, the others into <c>ChatOptions.AdditionalProperties</c> (see
/// <see cref="AndesExecutionSettingKeys"/>). <see cref="Skill"/> and <see cref="Adapter"/> travel as
/// <c>"andes.skill"</c> / <c>"andes.adapter"</c>, which the engine honours (1+N LoRA skills and adapters); other clients ignore them
/// then.</para>
/// <para>Like every <see cref="PromptExecutionSettings"/>, not thread-safe while being changed; <see cref="Freeze"/> makes it
/// read-only.</para>
/// </remarks>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
public sealed class AndesPromptExecutionSettings : PromptExecutionSettings
{
    private const string Source = "PromptExecutionSettings.ExtensionData";

    private float? _temperature;
    private float? _topP;
    private int? _topK;
    private int? _maxTokens;
    private IList<string>? _stopSequences;
    private long? _seed;
    private float? _frequencyPenalty;
    private float? _presencePenalty;
    private float? _minP;
    private float? _repetitionPenalty;
    private bool? _doSample;
    private bool? _enableThinking;
    private string? _skill;
    private string? _adapter;

    /// <summary>Sampling temperature; 0 decodes greedily.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.Temperature)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? Temperature
    {
        get => _temperature;
        set => Set(ref _temperature, value);
    }

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probabilities add up to this (0..1).</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.TopP)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? TopP
    {
        get => _topP;
        set => Set(ref _topP, value);
    }

    /// <summary>Keep only the k most likely tokens.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.TopK)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TopK
    {
        get => _topK;
        set => Set(ref _topK, value);
    }

    /// <summary>The most tokens to generate.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.MaxTokens)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens
    {
        get => _maxTokens;
        set => Set(ref _maxTokens, value);
    }

    /// <summary>Texts that end the answer when generated (never included in it; may span tokens).</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.StopSequences)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? StopSequences
    {
        get => _stopSequences;
        set => Set(ref _stopSequences, value);
    }

    /// <summary>The sampler's seed, for repeatable sampling.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.Seed)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seed
    {
        get => _seed;
        set => Set(ref _seed, value);
    }

    /// <summary>OpenAI-style frequency penalty over the generated tokens.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.FrequencyPenalty)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? FrequencyPenalty
    {
        get => _frequencyPenalty;
        set => Set(ref _frequencyPenalty, value);
    }

    /// <summary>OpenAI-style presence penalty over the generated tokens.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.PresencePenalty)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? PresencePenalty
    {
        get => _presencePenalty;
        set => Set(ref _presencePenalty, value);
    }

    /// <summary>Drop tokens whose probability is below min_p times the most likely token's (0..1).</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.MinP)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? MinP
    {
        get => _minP;
        set => Set(ref _minP, value);
    }

    /// <summary>Hugging Face's repetition penalty over prompt and output tokens (1 is off).</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.RepetitionPenalty)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? RepetitionPenalty
    {
        get => _repetitionPenalty;
        set => Set(ref _repetitionPenalty, value);
    }

    /// <summary>Sample (true) or decode greedily (false).</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.DoSample)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DoSample
    {
        get => _doSample;
        set => Set(ref _doSample, value);
    }

    /// <summary>Qwen3 hybrid thinking: false renders an empty thinking block so the model answers directly.</summary>
    [JsonPropertyName(AndesExecutionSettingKeys.EnableThinking)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? EnableThinking
    {
        get => _enableThinking;
        set => Set(ref _enableThinking, value);
    }

    /// <summary>
    /// The skill to run the request as (sent as <c>"andes.skill"</c>): the chat client looks it up in its
    /// <see cref="Andes.GenAI.SkillRegistry"/> and applies the skill's instructions, default options and LoRA adapter.
    /// An unknown name fails the request.
    /// </summary>
    [JsonPropertyName(AndesExecutionSettingKeys.Skill)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Skill
    {
        get => _skill;
        set => Set(ref _skill, value);
    }

    /// <summary>
    /// The LoRA adapter to activate for this request, by its name in the chat client's
    /// <see cref="Andes.GenAI.AdapterRegistry"/> (sent as <c>"andes.adapter"</c>; overrides the skill's adapter). The
    /// Andes engine runs it; on ONNX Runtime GenAI, or with an unknown name, the request fails.
    /// </summary>
    [JsonPropertyName(AndesExecutionSettingKeys.Adapter)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Adapter
    {
        get => _adapter;
        set => Set(ref _adapter, value);
    }

    /// <summary>
    /// Converts any execution settings to <see cref="AndesPromptExecutionSettings"/>: returns Andes settings as they are,
    /// a new instance for <see langword="null"/>, and otherwise reads the keys of <see cref="AndesExecutionSettingKeys"/>
    /// (case-insensitively) from the extension data (or, for other connectors' typed settings, from their JSON form).
    /// Service id, model id and function choice behaviour are kept; unknown keys stay in <see cref="PromptExecutionSettings.ExtensionData"/>.
    /// </summary>
    /// <param name="executionSettings">The settings, or <see langword="null"/>.</param>
    /// <returns>Andes settings.</returns>
    /// <exception cref="ArgumentException">A known key has a value of the wrong type; the message names the key and the value.</exception>
    /// <exception cref="NotSupportedException">Another connector's typed settings in an app where reflection-based JSON serialisation is off (trimmed or native AOT): their properties cannot be read there.</exception>
    public static AndesPromptExecutionSettings FromExecutionSettings(PromptExecutionSettings? executionSettings)
    {
        switch (executionSettings)
        {
            case null:
                return new AndesPromptExecutionSettings();
            case AndesPromptExecutionSettings andes:
                return andes;
        }

        var result = new AndesPromptExecutionSettings
        {
            ServiceId = executionSettings.ServiceId,
            ModelId = executionSettings.ModelId,
            FunctionChoiceBehavior = executionSettings.FunctionChoiceBehavior,
        };

        var unknown = new Dictionary<string, object>();
        foreach (KeyValuePair<string, object?> pair in ReadValues(executionSettings))
        {
            if (!result.TrySetValue(pair.Key, pair.Value) && pair.Value is not null)
            {
                unknown[pair.Key] = pair.Value;
            }
        }

        if (unknown.Count > 0)
        {
            result.ExtensionData = unknown;
        }

        return result;
    }

    /// <inheritdoc />
    public override PromptExecutionSettings Clone() => new AndesPromptExecutionSettings
    {
        ServiceId = ServiceId,
        ModelId = ModelId,
        FunctionChoiceBehavior = FunctionChoiceBehavior,
        ExtensionData = ExtensionData is null ? null : new Dictionary<string, object>(ExtensionData),
        Temperature = Temperature,
        TopP = TopP,
        TopK = TopK,
        MaxTokens = MaxTokens,
        StopSequences = StopSequences is null ? null : [.. StopSequences],
        Seed = Seed,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        MinP = MinP,
        RepetitionPenalty = RepetitionPenalty,
        DoSample = DoSample,
        EnableThinking = EnableThinking,
        Skill = Skill,
        Adapter = Adapter,
    };

    /// <inheritdoc />
    public override void Freeze()
    {
        if (IsFrozen)
        {
            return;
        }

        if (_stopSequences is not null)
        {
            _stopSequences = new ReadOnlyCollection<string>([.. _stopSequences]);
        }

        base.Freeze();
    }

    /// <summary>
    /// Copies the set properties onto the request's <see cref="ChatOptions"/> (after Semantic Kernel's own conversion) and
    /// gives the Andes keys of <c>AdditionalProperties</c> their canonical names and types.
    /// </summary>
    /// <param name="options">The options being prepared.</param>
    protected override void PrepareChatOptionsForRequest(ChatOptions options)
    {
        base.PrepareChatOptionsForRequest(options);
        ApplyTo(options);
    }

    /// <summary>Copies the set properties onto <paramref name="options"/> and normalises its Andes keys.</summary>
    internal void ApplyTo(ChatOptions options)
    {
        options.Temperature = Temperature ?? options.Temperature;
        options.TopP = TopP ?? options.TopP;
        options.TopK = TopK ?? options.TopK;
        options.MaxOutputTokens = MaxTokens ?? options.MaxOutputTokens;
        options.Seed = Seed ?? options.Seed;
        options.FrequencyPenalty = FrequencyPenalty ?? options.FrequencyPenalty;
        options.PresencePenalty = PresencePenalty ?? options.PresencePenalty;
        if (StopSequences is not null)
        {
            options.StopSequences = [.. StopSequences];
        }

        SetProperty(options, AndesExecutionSettingKeys.MinP, MinP);
        SetProperty(options, AndesExecutionSettingKeys.RepetitionPenalty, RepetitionPenalty);
        SetProperty(options, AndesExecutionSettingKeys.DoSample, DoSample);
        SetProperty(options, AndesExecutionSettingKeys.EnableThinking, EnableThinking);
        SetProperty(options, AndesExecutionSettingKeys.SkillProperty, Skill);
        SetProperty(options, AndesExecutionSettingKeys.AdapterProperty, Adapter);
        AndesChatOptionsNormalizer.NormalizeInPlace(options);
    }

    private static void SetProperty(ChatOptions options, string key, object? value)
    {
        if (value is not null)
        {
            (options.AdditionalProperties ??= [])[key] = value;
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> ReadValues(PromptExecutionSettings settings)
    {
        if (settings.GetType() == typeof(PromptExecutionSettings))
        {
            return settings.ExtensionData?.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)) ?? [];
        }

        // Another connector's typed settings: its JSON form carries its typed properties under their JSON names.
        if (!JsonSerializer.IsReflectionEnabledByDefault)
        {
            throw new NotSupportedException(
                $"Reading {settings.GetType().Name}'s typed properties needs reflection-based JSON serialisation, which is off in this app (trimmed or native AOT). Use {nameof(AndesPromptExecutionSettings)}, or PromptExecutionSettings with ExtensionData.");
        }

        JsonElement json = JsonSerializer.SerializeToElement(settings, ForeignSettings.Json.GetTypeInfo(settings.GetType()));
        return [.. json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value))];
    }

    /// <summary>
    /// Reads other connectors' typed settings (by reflection: their types are not known here) without the base
    /// properties (kept by reference instead). Made on first use, which <see cref="ReadValues"/> allows only where
    /// reflection-based serialisation is on.
    /// </summary>
    private static class ForeignSettings
    {
        public static readonly JsonSerializerOptions Json = Create();

        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault is true (ReadValues checks it); that feature switch is false in trimmed and native AOT apps unless the app turns reflection back on.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Used only when JsonSerializer.IsReflectionEnabledByDefault is true (ReadValues checks it), which native AOT apps turn off.")]
        private static JsonSerializerOptions Create() => new()
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutBaseProperties } },
        };
    }

    private static void WithoutBaseProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(PromptExecutionSettings).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        for (int i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            JsonPropertyInfo property = typeInfo.Properties[i];
            if (!property.IsExtensionData
                && property.AttributeProvider is System.Reflection.PropertyInfo { DeclaringType: { } declaring }
                && declaring == typeof(PromptExecutionSettings))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }

    private bool TrySetValue(string key, object? value)
    {
        switch (key.ToLowerInvariant())
        {
            case AndesExecutionSettingKeys.Temperature:
                Temperature = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.TopP:
                TopP = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.TopK:
                TopK = ExecutionSettingValue.ToInt32(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.MaxTokens:
                MaxTokens = ExecutionSettingValue.ToInt32(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.StopSequences:
                StopSequences = ExecutionSettingValue.ToStringList(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.Seed:
                Seed = ExecutionSettingValue.ToInt64(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.FrequencyPenalty:
                FrequencyPenalty = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.PresencePenalty:
                PresencePenalty = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.MinP:
                MinP = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.RepetitionPenalty:
                RepetitionPenalty = ExecutionSettingValue.ToSingle(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.DoSample:
                DoSample = ExecutionSettingValue.ToBoolean(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.EnableThinking:
                EnableThinking = ExecutionSettingValue.ToBoolean(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.Skill or AndesExecutionSettingKeys.SkillProperty:
                Skill = ExecutionSettingValue.ToText(value, key, Source);
                return true;
            case AndesExecutionSettingKeys.Adapter or AndesExecutionSettingKeys.AdapterProperty:
                Adapter = ExecutionSettingValue.ToText(value, key, Source);
                return true;
            default:
                return false;
        }
    }

    private void Set<T>(ref T field, T value)
    {
        ThrowIfFrozen();
        field = value;
    }
}
