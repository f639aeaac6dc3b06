using System.Diagnostics;
using Microsoft.Agents.AI;

namespace Andes.SemanticKernel.Agents;

/// <summary>
/// A conversation with an <see cref="AndesAgent"/>. Its message history lives in <see cref="AgentSession.StateBag"/>
/// (where Agent Framework's in-memory history keeps it, so <c>session.TryGetInMemoryChatHistory(out var messages)</c>
/// reads it); save the session with <see cref="AIAgent.SerializeSessionAsync"/> and restore it with
/// <see cref="AIAgent.DeserializeSessionAsync"/>.
/// </summary>
/// <remarks>Created by <see cref="AIAgent.CreateSessionAsync"/>. A session serves one run at a time.</remarks>
[DebuggerDisplay("AndesAgentSession, {StateBag.Count} state entries")]
public sealed class AndesAgentSession : AgentSession
{
    internal AndesAgentSession()
    {
    }

    internal AndesAgentSession(AgentSessionStateBag stateBag)
        : base(stateBag)
    {
    }
}
