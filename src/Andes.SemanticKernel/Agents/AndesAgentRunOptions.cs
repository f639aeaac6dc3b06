using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel.Agents;

/// <summary>Per-run options of an <see cref="AndesAgent"/>: the base run options plus chat options for this run.</summary>
public sealed class AndesAgentRunOptions : AgentRunOptions
{
    /// <summary>Creates empty run options.</summary>
    public AndesAgentRunOptions()
    {
    }

    /// <summary>Creates run options carrying <paramref name="chatOptions"/>.</summary>
    /// <param name="chatOptions">Chat options for this run.</param>
    public AndesAgentRunOptions(ChatOptions? chatOptions)
    {
        ChatOptions = chatOptions;
    }

    private AndesAgentRunOptions(AndesAgentRunOptions other)
        : base(other)
    {
        ChatOptions = other.ChatOptions?.Clone();
    }

    /// <summary>
    /// Chat options for this run, over the agent's: values set here win, instructions are appended to the agent's,
    /// tools are added to the agent's, additional properties are merged (these win).
    /// </summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <inheritdoc />
    public override AgentRunOptions Clone() => new AndesAgentRunOptions(this);
}
