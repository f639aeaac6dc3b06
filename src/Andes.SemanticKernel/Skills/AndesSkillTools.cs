using System.ComponentModel;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel;

/// <summary>
/// Turns Andes skills into M.E.AI tools: one <see cref="AIFunction"/> per <see cref="Skill"/>, so a model running on
/// the base weights can call a specialist (the skill's LoRA adapter, instructions and defaults) as a tool, under an
/// Agent Framework agent or any <see cref="FunctionInvokingChatClient"/>: AndesVL's "1+N" deployment as function
/// calling. The Semantic Kernel counterpart is <see cref="AndesSkillsPlugin"/>.
/// </summary>
/// <remarks>
/// Each function is named after its skill and takes one string argument, <c>request</c>; it sends the request as a
/// user message to the chat client with the skill applied (<see cref="Skill.ApplyTo"/>: instructions, default options
/// and <c>andes.adapter</c>, the same options <c>WithSkill(name)</c> gives a request) and returns the skill's parsed
/// output (<see cref="Skill.ParseOutput"/>: the text, or e.g. a JSON element). The skill's request is a fresh
/// one-message conversation: it sees neither the calling conversation nor its tools. The functions are safe to call
/// concurrently when the chat client is (<c>AndesChatClient</c> is).
/// </remarks>
public static class AndesSkillTools
{
    /// <summary>The name of each function's argument.</summary>
    public const string RequestParameter = "request";

    /// <summary>Creates one tool per skill.</summary>
    /// <param name="chatClient">The client that runs the skills (an <c>AndesChatClient</c>, possibly wrapped in middleware).</param>
    /// <param name="skills">The skills; null: the client's (<c>GetService(typeof(SkillRegistry))</c>, e.g. the model folder's <c>skills.json</c>).</param>
    /// <returns>The tools, in the registry's order; empty when there are no skills.</returns>
    public static IList<AITool> Create(IChatClient chatClient, SkillRegistry? skills = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        skills ??= chatClient.GetService<SkillRegistry>();
        return skills is null ? [] : [.. skills.Skills.Select(skill => CreateFunction(chatClient, skill))];
    }

    /// <summary>Creates the tool of one skill.</summary>
    /// <param name="chatClient">The client that runs the skill.</param>
    /// <param name="skill">The skill.</param>
    /// <returns>The function, named <see cref="Skill.Name"/>.</returns>
    public static AIFunction CreateFunction(IChatClient chatClient, Skill skill)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(skill);
        async Task<object?> RunAsync(
            [Description("What the skill should do, in natural language (with the input text).")] string request,
            CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            ChatResponse response = await chatClient.GetResponseAsync([new ChatMessage(ChatRole.User, request)], skill.ApplyTo(null), cancellationToken).ConfigureAwait(false);
            return skill.ParseOutput(response.Text);
        }

        return AIFunctionFactory.Create(
            RunAsync,
            new AIFunctionFactoryOptions
            {
                // Skill names are already valid tool names (letters, digits, '_', '-'), and the model should see the
                // name the skill was registered under, the one WithSkill and skills.json use.
                Name = skill.Name,
                Description = string.IsNullOrEmpty(skill.Description) ? $"Runs the '{skill.Name}' skill." : skill.Description,

                // AIFunctionFactory's default options, plus the parsers' types (string[]) where reflection is off.
                SerializerOptions = AndesSemanticKernelJsonOptions.AIFunction,
            });
    }
}
