using Andes.GenAI;
using Microsoft.Extensions.Logging;

namespace Andes.GenAI;

/// <summary>Options of <see cref="AndesChatClient"/>.</summary>
public sealed class AndesChatClientOptions
{
    /// <summary>The chat template (default: AndesVL's Qwen3 ChatML, <see cref="AndesChatTemplate.Default"/>).</summary>
    public IChatTemplate? Template { get; set; }

    /// <summary>
    /// Generation defaults used where a request's <c>ChatOptions</c> say nothing; null: the model folder's
    /// <c>search</c> section of <c>genai_config.json</c>.
    /// </summary>
    public GenerationOptions? DefaultGenerationOptions { get; set; }

    /// <summary>How many finished conversations keep their key/value cache for reuse by a follow-up turn (default 2; 0 turns reuse off).</summary>
    public int MaxCachedConversations { get; set; } = 2;

    /// <summary>
    /// The model id reported in metadata and responses (default: the model folder's name). A request whose
    /// <c>ChatOptions.ModelId</c> is set must name this id (or the folder's name or full path, compared ignoring case):
    /// another id is an <see cref="ArgumentException"/>, since this client runs one model only.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Creates the client's logger (category <c>Andes.GenAI.AndesChatClient</c>: one line per request at
    /// <see cref="LogLevel.Information"/> with prompt, image and cached-prefix tokens, time to first token, decode speed,
    /// finish reason, skill and adapter; details at <see cref="LogLevel.Debug"/>); null: the model's
    /// <see cref="AndesModelOptions.LoggerFactory"/>.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The LoRA adapters requests may activate (<c>options.WithAdapter(name)</c>, or a skill's adapter); null: the
    /// adapters listed in the model folder's <c>skills.json</c>, loaded once by the client (none without the file). A
    /// registry given here is not disposed by the client.
    /// </summary>
    public AdapterRegistry? Adapters { get; set; }

    /// <summary>The skills requests may run as (<c>options.WithSkill(name)</c>); null: the model folder's <c>skills.json</c>, if any.</summary>
    public SkillRegistry? Skills { get; set; }

    /// <summary>
    /// The image size (AndesVL's <c>max_size</c>: images are scaled to at most this squared area) for requests that do
    /// not set one (<c>options.WithImageMaxSize(n)</c>); null: the model folder's processor config (733 for AndesVL).
    /// </summary>
    public int? ImageMaxSize { get; set; }

    /// <summary>Scale images down until the prompt fits the context, instead of failing with <see cref="PromptTooLongException"/> (default false).</summary>
    public bool DownscaleImagesToFit { get; set; }

    /// <summary>
    /// Gets or sets speculative decoding for every request (a drafter proposes tokens, one decoder pass checks them),
    /// or null (the default) for one token per pass. A request overrides it with the
    /// <c>andes.speculative_decoding</c> entry of its <see cref="Microsoft.Extensions.AI.ChatOptions"/>
    /// (<c>WithSpeculativeDecoding</c>, <c>WithPromptLookupDecoding</c>, <c>WithoutSpeculativeDecoding</c>). Andes engine only.
    /// </summary>
    public SpeculativeDecodingOptions? SpeculativeDecoding { get; set; }

    /// <summary>Creates a copy (the registries are shared, not copied).</summary>
    public AndesChatClientOptions Clone() => new()
    {
        Adapters = Adapters,
        Skills = Skills,
        Template = Template,
        DefaultGenerationOptions = DefaultGenerationOptions?.Clone(),
        MaxCachedConversations = MaxCachedConversations,
        ModelId = ModelId,
        LoggerFactory = LoggerFactory,
        ImageMaxSize = ImageMaxSize,
        DownscaleImagesToFit = DownscaleImagesToFit,
        SpeculativeDecoding = SpeculativeDecoding,
    };
}
