using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel;

/// <summary>
/// Turns Andes skills into Semantic Kernel functions: a plugin (named <c>AndesSkills</c> by default) with one
/// <see cref="KernelFunction"/> per <see cref="Skill"/>, so an agent running on the base model can call a specialist
/// (the skill's LoRA adapter, instructions and defaults) as a tool: AndesVL's "1+N" deployment as function calling.
/// </summary>
/// <remarks>
/// Each function takes one string argument, <c>request</c>, sends it as a user message to the chat client with the
/// skill applied (<see cref="Skill.ApplyTo"/>: instructions, default options and <c>andes.adapter</c>), and returns the
/// skill's parsed output (<see cref="Skill.ParseOutput"/>: the text, or e.g. a JSON element). Function names are the
/// skill names with '-' replaced by '_'; descriptions are the skills'. The functions are safe to call concurrently
/// when the chat client is (<c>AndesChatClient</c> is).
/// </remarks>
public static class AndesSkillsPlugin
{
    /// <summary>The default plugin name.</summary>
    public const string DefaultName = "AndesSkills";

    /// <summary>The name of each function's argument.</summary>
    public const string RequestParameter = "request";

    /// <summary>Creates the plugin.</summary>
    /// <param name="chatClient">The client that runs the skills (an <c>AndesChatClient</c>, possibly wrapped in middleware).</param>
    /// <param name="skills">The skills; null: the client's (<c>GetService(typeof(SkillRegistry))</c>, e.g. the model folder's <c>skills.json</c>).</param>
    /// <param name="pluginName">The plugin's name.</param>
    /// <returns>The plugin.</returns>
    /// <exception cref="ArgumentException">No skills given and the client has none.</exception>
    public static KernelPlugin Create(IChatClient chatClient, SkillRegistry? skills = null, string pluginName = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentException.ThrowIfNullOrEmpty(pluginName);
        skills ??= chatClient.GetService<SkillRegistry>()
            ?? throw new ArgumentException("No skills were given and the chat client has none (put skills.json beside the model or pass a SkillRegistry).", nameof(skills));
        return KernelPluginFactory.CreateFromFunctions(
            pluginName,
            "Specialist skills of the on-device model, each a task-tuned LoRA adapter with its own instructions.",
            skills.Skills.Select(skill => CreateFunction(chatClient, skill)));
    }

    /// <summary>Creates the function of one skill.</summary>
    /// <param name="chatClient">The client that runs the skill.</param>
    /// <param name="skill">The skill.</param>
    /// <returns>The function.</returns>
    public static KernelFunction CreateFunction(IChatClient chatClient, Skill skill)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(skill);
        async Task<object?> RunAsync(string request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            ChatResponse response = await chatClient.GetResponseAsync([new ChatMessage(ChatRole.User, request)], skill.ApplyTo(null), cancellationToken).ConfigureAwait(false);
            return skill.ParseOutput(response.Text);
        }

        // The overloads that take serializer options: no reflection-based JSON (the others require it).
        JsonSerializerOptions json = AndesSemanticKernelJsonOptions.KernelFunction;
        return KernelFunctionFactory.CreateFromMethod(
            RunAsync,
            json,
            FunctionName(skill.Name),
            string.IsNullOrEmpty(skill.Description) ? $"Runs the '{skill.Name}' skill." : skill.Description,
            [new KernelParameterMetadata(RequestParameter, json) { Description = "What the skill should do, in natural language (with the input text).", ParameterType = typeof(string), IsRequired = true }],
            new KernelReturnParameterMetadata(json) { Description = "The skill's answer.", ParameterType = typeof(object) });
    }

    /// <summary>A valid Semantic Kernel function name for a skill name.</summary>
    internal static string FunctionName(string skillName)
    {
        var name = new StringBuilder(skillName.Length);
        foreach (char c in skillName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return name.ToString();
    }
}
