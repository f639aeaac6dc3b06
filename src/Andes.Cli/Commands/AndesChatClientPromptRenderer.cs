using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Commands;

/// <summary>Renders messages as <see cref="Andes.GenAI.AndesChatClient"/> does with default options (for reporting token counts).</summary>
internal static class AndesChatClientPromptRenderer
{
    public static ChatPrompt Render(IEnumerable<ChatMessage> messages) => AndesChatTemplate.Default.Render(messages, new ChatTemplateOptions());
}
