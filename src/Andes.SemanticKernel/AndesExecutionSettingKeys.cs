using Andes.GenAI;
namespace Andes.SemanticKernel;

/// <summary>
/// The <see cref="Microsoft.SemanticKernel.PromptExecutionSettings.ExtensionData"/> keys the Andes connector understands
/// (matched case-insensitively), and the <c>ChatOptions.AdditionalProperties</c> keys some of them become.
/// </summary>
/// <remarks>
/// Values may be CLR values (<c>0.2</c>, <c>"0.2"</c>, <c>true</c>, <c>["\n\n"]</c>) or <c>JsonElement</c>s (prompt
/// configuration files); numbers given as strings are parsed with the invariant culture.
/// </remarks>
public static class AndesExecutionSettingKeys
{
    /// <summary><c>temperature</c> (float, 0 = greedy) → <c>ChatOptions.Temperature</c>.</summary>
    public const string Temperature = "temperature";

    /// <summary><c>top_p</c> (float, 0..1) → <c>ChatOptions.TopP</c>.</summary>
    public const string TopP = "top_p";

    /// <summary><c>top_k</c> (int) → <c>ChatOptions.TopK</c>.</summary>
    public const string TopK = "top_k";

    /// <summary><c>max_tokens</c> (int) → <c>ChatOptions.MaxOutputTokens</c>.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary><c>stop_sequences</c> (list of strings, or one string) → <c>ChatOptions.StopSequences</c>.</summary>
    public const string StopSequences = "stop_sequences";

    /// <summary><c>seed</c> (long) → <c>ChatOptions.Seed</c>.</summary>
    public const string Seed = "seed";

    /// <summary><c>frequency_penalty</c> (float) → <c>ChatOptions.FrequencyPenalty</c>.</summary>
    public const string FrequencyPenalty = "frequency_penalty";

    /// <summary><c>presence_penalty</c> (float) → <c>ChatOptions.PresencePenalty</c>.</summary>
    public const string PresencePenalty = "presence_penalty";

    /// <summary><c>min_p</c> (float) → <c>ChatOptions.AdditionalProperties["min_p"]</c> (<see cref="AndesChatOptionKeys.MinP"/>).</summary>
    public const string MinP = AndesChatOptionKeys.MinP;

    /// <summary><c>repetition_penalty</c> (float) → <c>AdditionalProperties["repetition_penalty"]</c> (<see cref="AndesChatOptionKeys.RepetitionPenalty"/>).</summary>
    public const string RepetitionPenalty = AndesChatOptionKeys.RepetitionPenalty;

    /// <summary><c>do_sample</c> (bool) → <c>AdditionalProperties["do_sample"]</c> (<see cref="AndesChatOptionKeys.DoSample"/>).</summary>
    public const string DoSample = AndesChatOptionKeys.DoSample;

    /// <summary><c>enable_thinking</c> (bool) → <c>AdditionalProperties["enable_thinking"]</c> (<see cref="AndesChatOptionKeys.EnableThinking"/>).</summary>
    public const string EnableThinking = AndesChatOptionKeys.EnableThinking;

    /// <summary>
    /// <c>skill</c> (string): the skill to run the request as → <c>AdditionalProperties["andes.skill"]</c>
    /// (<see cref="SkillProperty"/>). The chat client looks it up in its <see cref="SkillRegistry"/> and applies the
    /// skill's instructions, default options and LoRA adapter; an unknown name fails the request.
    /// </summary>
    public const string Skill = "skill";

    /// <summary>
    /// <c>adapter</c> (string): the LoRA adapter to activate for the request, by its name in the chat client's
    /// <see cref="AdapterRegistry"/> → <c>AdditionalProperties["andes.adapter"]</c> (<see cref="AdapterProperty"/>); it
    /// overrides the skill's adapter. The Andes engine runs it; on ONNX Runtime GenAI, or with an unknown name, the
    /// request fails.
    /// </summary>
    public const string Adapter = "adapter";

    /// <summary>The <c>ChatOptions.AdditionalProperties</c> key that carries <see cref="Skill"/>.</summary>
    public const string SkillProperty = AndesChatOptionKeys.Skill;

    /// <summary>The <c>ChatOptions.AdditionalProperties</c> key that carries <see cref="Adapter"/>.</summary>
    public const string AdapterProperty = AndesChatOptionKeys.Adapter;
}
