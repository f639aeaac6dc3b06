using Andes.GenAI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Andes.SemanticKernel;

/// <summary>
/// Makes Agent Framework agents (<see cref="ChatClientAgent"/>) over an Andes chat client with the client's LoRA
/// skills offered as tools (<see cref="AndesSkillTools"/>), so the base model can hand a task to a specialist.
/// </summary>
/// <remarks>
/// Everything else is Agent Framework's own <see cref="ChatClientAgent"/>: instructions, tools really invoked through
/// <see cref="FunctionInvokingChatClient"/>, per-run options (<see cref="ChatClientAgentRunOptions"/>), streaming, and
/// sessions whose history serialises to JSON (<see cref="AIAgent.SerializeSessionAsync"/> /
/// <see cref="AIAgent.DeserializeSessionAsync"/>). A client without skills gives the same agent as
/// <c>chatClient.AsAIAgent(options)</c>.
/// </remarks>
public static class AndesAgentExtensions
{
    /// <summary>Creates an agent over <paramref name="chatClient"/> with instructions, tools and the skills as tools.</summary>
    /// <param name="chatClient">The chat client (an <c>AndesChatClient</c> or any other; the caller keeps ownership of it).</param>
    /// <param name="instructions">The system instructions sent with every run.</param>
    /// <param name="name">The agent's name.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="tools">Tools besides the skills.</param>
    /// <param name="skills">The skills offered as tools; null: the client's (none when it has none).</param>
    /// <param name="loggerFactory">Logs the agent's runs and function invocations.</param>
    /// <param name="services">Services handed to the functions it invokes.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="ArgumentException">Two tools (a skill and a tool, or two tools) have the same name.</exception>
    public static ChatClientAgent AsAndesAgent(
        this IChatClient chatClient,
        string? instructions = null,
        string? name = null,
        string? description = null,
        IList<AITool>? tools = null,
        SkillRegistry? skills = null,
        ILoggerFactory? loggerFactory = null,
        IServiceProvider? services = null) =>
        chatClient.AsAndesAgent(
            new ChatClientAgentOptions { Name = name, Description = description, ChatOptions = new ChatOptions { Instructions = instructions, Tools = tools } },
            skills,
            loggerFactory,
            services);

    /// <summary>Creates an agent over <paramref name="chatClient"/> from Agent Framework options plus the skills as tools.</summary>
    /// <param name="chatClient">The chat client (an <c>AndesChatClient</c> or any other; the caller keeps ownership of it).</param>
    /// <param name="options">
    /// The agent's options (instructions, tools and sampling in <see cref="ChatClientAgentOptions.ChatOptions"/>); not
    /// modified: the agent gets a copy whose tools are these followed by the skills'.
    /// </param>
    /// <param name="skills">The skills offered as tools; null: the client's (none when it has none).</param>
    /// <param name="loggerFactory">Logs the agent's runs and function invocations.</param>
    /// <param name="services">Services handed to the functions it invokes.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="ArgumentException">Two tools (a skill and a tool, or two tools) have the same name.</exception>
    public static ChatClientAgent AsAndesAgent(
        this IChatClient chatClient,
        ChatClientAgentOptions options,
        SkillRegistry? skills = null,
        ILoggerFactory? loggerFactory = null,
        IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(options);
        ChatClientAgentOptions copy = options.Clone();
        ChatOptions chatOptions = options.ChatOptions?.Clone() ?? new ChatOptions();
        List<AITool> tools = [.. chatOptions.Tools ?? [], .. AndesSkillTools.Create(chatClient, skills)];

        // The engine renders every tool into the prompt and a model cannot tell two same-named tools apart, so a
        // clash is a configuration error to report here rather than a wrong call at run time.
        if (tools.GroupBy(tool => tool.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } clash)
        {
            throw new ArgumentException($"Two of the agent's tools are named '{clash.Key}' (a skill's tool is named after the skill).", nameof(options));
        }

        chatOptions.Tools = tools.Count == 0 ? null : tools;
        copy.ChatOptions = chatOptions;
        return new ChatClientAgent(chatClient, copy, loggerFactory, services);
    }
}
