namespace Andes.GenAI;

/// <summary>Value positions: choosing which construct a value is from its first byte.</summary>
internal sealed partial class GrammarMachine
{
    /// <summary>
    /// Starts the value at a value position of <paramref name="parent"/> (already moved to its "in value" phase) with
    /// the value's first byte. The choice between object, array, string, number and literal is one table lookup: the
    /// schema compiler already decided, per first byte, which alternative of an <c>anyOf</c> owns it, so the machine
    /// never carries several alternatives at once.
    /// </summary>
    private int StartValue(GrammarFrame parent, int value, byte b)
    {
        ValueShape shape = _grammar.Values[value];
        ValueAlternative alternative = shape.Dispatch[b];
        if (alternative == ValueAlternative.None)
        {
            return -1;
        }

        // The whitespace gap before the value is over; the next gap (after the value) starts from zero.
        parent.Whitespace = 0;
        int parentIndex = Emit(parent);
        switch (alternative)
        {
            // Delimited constructs: the opening byte is consumed by writing the frame at its first phase.
            case ValueAlternative.Object:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Object, Shape = shape.Object, Phase = (byte)ObjectPhase.AfterOpen });
            case ValueAlternative.Array:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Array, Shape = shape.Array, Phase = (byte)ArrayPhase.AfterOpen });
            case ValueAlternative.String:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.String, Shape = shape.String, Phase = (byte)StringPhase.Boundary });

            // Undelimited constructs: the first byte is already part of the text, so the new frame takes it.
            case ValueAlternative.Number:
                return FeedNumber(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Number, Shape = shape.Number, Phase = (byte)NumberPhase.Start }, b);
            default:
                return StartLiteral(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Literal, Shape = shape.Literal, C = int.MaxValue }, b);
        }
    }
}
