using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>Per-request settings for <see cref="IChatTemplate.Render"/>.</summary>
public sealed class ChatTemplateOptions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key <see cref="FromChatOptions"/> reads <see cref="EnableThinking"/> from.</summary>
    public const string EnableThinkingPropertyName = "enable_thinking";

    /// <summary>
    /// Gets or sets per-request instructions (<see cref="ChatOptions.Instructions"/>). <see cref="AndesChatTemplate"/>
    /// puts them at the start of the system message: <c>Instructions + "\n\n" + system text</c> when the conversation
    /// starts with a system message, otherwise as the whole system message.
    /// </summary>
    public string? Instructions { get; set; }

    /// <summary>
    /// Gets or sets the tools the model may call. Only <see cref="AIFunctionDeclaration"/>s (including
    /// <see cref="AIFunction"/>s) are rendered; other tool kinds (hosted tools) are ignored. Null or empty: no tools block.
    /// </summary>
    public IList<AITool>? Tools { get; set; }

    /// <summary>
    /// Gets or sets whether the model should think before answering: <see langword="false"/> renders an empty thinking
    /// block after the generation prompt (Qwen3's <c>enable_thinking=False</c>), <see langword="true"/> and
    /// <see langword="null"/> (the model's default) append nothing.
    /// </summary>
    public bool? EnableThinking { get; set; }

    /// <summary>Gets or sets whether to end the prompt with the assistant's turn header. Defaults to <see langword="true"/>.</summary>
    public bool AddGenerationPrompt { get; set; } = true;

    /// <summary>Creates a shallow copy (the tool list is copied, the tools are not).</summary>
    /// <returns>The copy.</returns>
    public ChatTemplateOptions Clone() => new()
    {
        Instructions = Instructions,
        Tools = Tools is null ? null : [.. Tools],
        EnableThinking = EnableThinking,
        AddGenerationPrompt = AddGenerationPrompt,
    };

    /// <summary>
    /// Maps <see cref="ChatOptions"/> onto template options: <see cref="ChatOptions.Instructions"/>;
    /// <see cref="ChatOptions.Tools"/> unless <see cref="ChatOptions.ToolMode"/> is <see cref="ChatToolMode.None"/>;
    /// <see cref="EnableThinking"/> from <c>AdditionalProperties["enable_thinking"]</c> (a bool) when present,
    /// else from <see cref="ChatOptions.Reasoning"/> (effort <see cref="ReasoningEffort.None"/> = false, any other
    /// effort = true, no effort = null).
    /// </summary>
    /// <param name="options">The chat options, or <see langword="null"/>.</param>
    /// <returns>New template options with <see cref="AddGenerationPrompt"/> set.</returns>
    /// <exception cref="ArgumentException"><c>enable_thinking</c> is present but not a bool.</exception>
    public static ChatTemplateOptions FromChatOptions(ChatOptions? options)
    {
        var result = new ChatTemplateOptions();
        if (options is null)
        {
            return result;
        }

        result.Instructions = options.Instructions;
        if (options.Tools is { Count: > 0 } tools && options.ToolMode is not NoneChatToolMode)
        {
            result.Tools = [.. tools];
        }

        if (options.AdditionalProperties?.TryGetValue(EnableThinkingPropertyName, out object? value) == true)
        {
            result.EnableThinking = value switch
            {
                null => null,
                bool b => b,
                JsonElement { ValueKind: JsonValueKind.True } => true,
                JsonElement { ValueKind: JsonValueKind.False } => false,
                JsonElement { ValueKind: JsonValueKind.Null } => null,
                _ => throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{EnableThinkingPropertyName}\"] must be a bool, not '{value}' ({value.GetType().Name}).",
                    nameof(options)),
            };
        }
        else if (options.Reasoning?.Effort is { } effort)
        {
            result.EnableThinking = effort != ReasoningEffort.None;
        }

        return result;
    }
}
