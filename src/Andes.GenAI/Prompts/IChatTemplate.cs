using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// Renders a Microsoft.Extensions.AI conversation into a model's prompt (text segments and image slots) and creates
/// the parser for the text the model generates after that prompt.
/// </summary>
/// <remarks>
/// Implementations are pluggable per model family; <see cref="AndesChatTemplate"/> is AndesVL's (stock Qwen3 ChatML).
/// Implementations should be thread-safe: one template renders many conversations concurrently.
/// </remarks>
public interface IChatTemplate
{
    /// <summary>Renders <paramref name="messages"/> into a prompt.</summary>
    /// <param name="messages">The conversation, oldest first (roles system, user, assistant, tool).</param>
    /// <param name="options">Instructions, tools, thinking switch and generation prompt; <see langword="null"/> for defaults.</param>
    /// <returns>The prompt's text segments and image slots, in order.</returns>
    ChatPrompt Render(IEnumerable<ChatMessage> messages, ChatTemplateOptions? options = null);

    /// <summary>Creates a parser for the text generated after <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The prompt the generation continues (e.g. whether it ends inside reasoning).</param>
    /// <returns>A new parser; parsers are stateful and not thread-safe.</returns>
    IChatOutputParser CreateOutputParser(ChatPrompt prompt);
}
