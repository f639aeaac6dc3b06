using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel.Agents;

/// <summary>Options of an <see cref="AndesAgent"/>.</summary>
public sealed class AndesAgentOptions
{
    /// <summary>The agent's id; null for a random one.</summary>
    public string? Id { get; set; }

    /// <summary>The agent's display name.</summary>
    public string? Name { get; set; }

    /// <summary>What the agent does (for people and for other agents).</summary>
    public string? Description { get; set; }

    /// <summary>
    /// The system instructions sent with every run (as <see cref="ChatOptions.Instructions"/>, which the Andes chat
    /// template puts at the start of the system turn).
    /// </summary>
    public string? Instructions { get; set; }

    /// <summary>The tools the model may call (usually <see cref="AIFunction"/>s); the agent invokes the calls it makes.</summary>
    public IList<AITool>? Tools { get; set; }

    /// <summary>Chat options applied to every run (sampling, stop sequences, tool mode, <c>AdditionalProperties</c> ...).</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Creates a copy (the tool list is copied, the tools are shared).</summary>
    /// <returns>The copy.</returns>
    public AndesAgentOptions Clone() => new()
    {
        Id = Id,
        Name = Name,
        Description = Description,
        Instructions = Instructions,
        Tools = Tools is null ? null : [.. Tools],
        ChatOptions = ChatOptions?.Clone(),
    };
}
