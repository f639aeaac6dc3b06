using Andes.GenAI.Generation;
using Andes.GenAI.Prompts;

namespace Andes.GenAI.Chat;

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

    /// <summary>The model id reported in metadata and responses (default: the model folder's name).</summary>
    public string? ModelId { get; set; }

    /// <summary>Creates a copy.</summary>
    public AndesChatClientOptions Clone() => new()
    {
        Template = Template,
        DefaultGenerationOptions = DefaultGenerationOptions?.Clone(),
        MaxCachedConversations = MaxCachedConversations,
        ModelId = ModelId,
    };
}
