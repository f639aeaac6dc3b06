using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>The root of a plain JSON document: optional leading whitespace, then one value.</summary>
internal sealed partial class GrammarMachine
{
    private int FeedRoot(GrammarFrame frame, byte b)
    {
        RootPhase phase = (RootPhase)frame.Phase;
        if (IsWhitespace(b))
        {
            // Whitespace may lead the value, but none may trail it: after a complete value the only useful next token
            // is the end of the output, and allowing trailing whitespace would let a model pad instead of stopping.
            return phase == RootPhase.BeforeValue ? Whitespace(frame) : -1;
        }

        if (phase != RootPhase.BeforeValue)
        {
            return -1;
        }

        frame.Phase = (byte)RootPhase.InValue;
        return StartValue(frame, frame.Shape, b);
    }

    /// <summary>Before the value, the shortest value; from then on, the value's own frames carry the cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int RootCost(in GrammarFrame frame)
        => (RootPhase)frame.Phase == RootPhase.BeforeValue ? _grammar.Values[frame.Shape].MinBytes : 0;
}
