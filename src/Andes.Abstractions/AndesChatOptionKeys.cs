namespace Andes;

/// <summary>
/// Keys of <c>ChatOptions.AdditionalProperties</c> that the Andes engine's chat client (<c>AndesChatClient</c>) reads, for settings
/// <c>ChatOptions</c> has no property for.
/// </summary>
public static class AndesChatOptionKeys
{
    /// <summary><c>min_p</c> (float, 0..1): drop tokens whose probability is below min_p times the top token's.</summary>
    public const string MinP = "min_p";

    /// <summary><c>repetition_penalty</c> (float, &gt; 0; 1 is off): Hugging Face's penalty over prompt and output tokens.</summary>
    public const string RepetitionPenalty = "repetition_penalty";

    /// <summary><c>do_sample</c> (bool): sample (true) or decode greedily (false). Setting <c>Temperature</c> to 0 also means greedy.</summary>
    public const string DoSample = "do_sample";

    /// <summary>
    /// <c>andes.skill</c> (string): the skill to run the request as (its instructions, default options and adapter);
    /// see <see cref="AndesChatOptionsExtensions.WithSkill"/>.
    /// </summary>
    public const string Skill = "andes.skill";

    /// <summary>
    /// <c>andes.adapter</c> (string): the LoRA adapter to activate for the request (overrides a skill's); see
    /// <see cref="AndesChatOptionsExtensions.WithAdapter"/>.
    /// </summary>
    public const string Adapter = "andes.adapter";

    /// <summary>
    /// <c>andes.image_max_size</c> (int): the image size for this request (see
    /// <c>AndesChatClientOptions.ImageMaxSize</c>); see <see cref="AndesChatOptionsExtensions.WithImageMaxSize"/>.
    /// </summary>
    public const string ImageMaxSize = "andes.image_max_size";

    /// <summary>
    /// <c>andes.speculative_decoding</c>: speculative decoding for this request: <c>"prompt-lookup"</c>, <c>"off"</c>, or
    /// (with Andes.GenAI) a <c>SpeculativeDecodingOptions</c>; see
    /// <see cref="AndesChatOptionsExtensions.WithPromptLookupDecoding"/>. The output is the same (greedy) or equally
    /// distributed (sampling); only the speed changes.
    /// </summary>
    public const string SpeculativeDecoding = "andes.speculative_decoding";

    /// <summary><c>andes.draft_tokens</c> (int, 1 to 32): the most tokens drafted per pass with <see cref="SpeculativeDecoding"/> <c>"prompt-lookup"</c>.</summary>
    public const string DraftTokens = "andes.draft_tokens";

    /// <summary><c>enable_thinking</c> (bool): the chat template's switch for Qwen3 hybrid thinking.</summary>
    public const string EnableThinking = "enable_thinking";
}
