using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// Incrementally splits a model's streamed output text into response contents: reasoning
/// (<see cref="TextReasoningContent"/>), answer text (<see cref="TextContent"/>) and tool calls
/// (<see cref="FunctionCallContent"/>).
/// </summary>
/// <remarks>
/// Feed the decoded text in any chunking with <see cref="Append"/>, then call <see cref="Complete"/> once the
/// generation stops. The sequence of contents (after merging adjacent contents of the same kind) does not depend on
/// the chunking. Instances are stateful and not thread-safe.
/// </remarks>
public interface IChatOutputParser
{
    /// <summary>Consumes the next piece of generated text and adds the contents it completes to <paramref name="updates"/>.</summary>
    /// <param name="text">The next decoded text, of any length (a tag may be split across calls).</param>
    /// <param name="updates">Receives the new contents, in order; adjacent contents of one kind are merged.</param>
    void Append(ReadOnlySpan<char> text, IList<AIContent> updates);

    /// <summary>Flushes what is still held back at the end of the generation and resets the parser for a new response.</summary>
    /// <param name="updates">Receives the remaining contents, in order.</param>
    void Complete(IList<AIContent> updates);
}
