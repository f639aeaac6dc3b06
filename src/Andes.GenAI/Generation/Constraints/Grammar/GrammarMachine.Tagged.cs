using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>
/// The body of one tool call: a literal prefix that names the tool, that tool's arguments value, a fixed suffix.
/// <see cref="GrammarFrame.B"/> is the chosen tool (the prefix's tag); <see cref="GrammarFrame.A"/> is the position in
/// the suffix.
/// </summary>
/// <remarks>
/// The prefixes of all tools share one trie, so the tool is chosen byte by byte as its name is written, and the
/// arguments schema is known by the time the arguments start. No whitespace is allowed between the parts: the prefix
/// already ends with the separator, and the suffix is fixed text.
/// </remarks>
internal sealed partial class GrammarMachine
{
    private int FeedTagged(GrammarFrame frame, byte b)
    {
        TaggedShape shape = _grammar.Tagged!;
        switch ((TaggedPhase)frame.Phase)
        {
            case TaggedPhase.Start:
                frame.Phase = (byte)TaggedPhase.InPrefix;
                int parent = Emit(frame);
                return StartLiteral(new GrammarFrame { Parent = parent, Kind = FrameKind.Literal, Shape = shape.PrefixTrie, C = int.MaxValue }, b);
            case TaggedPhase.AfterPrefix:
                frame.Phase = (byte)TaggedPhase.InArguments;
                return StartValue(frame, shape.Arguments[frame.B], b);
            case TaggedPhase.InSuffix:
                if (b != shape.Suffix[frame.A])
                {
                    return -1;
                }

                frame.A++;
                if (frame.A == shape.Suffix.Length)
                {
                    frame.Phase = (byte)TaggedPhase.Done;
                }

                return Emit(frame);
            default:
                return -1;
        }
    }

    /// <summary>Moves the call to the phase after its prefix or arguments ended.</summary>
    private void EndTaggedChild(ref GrammarFrame frame, int tag)
    {
        if ((TaggedPhase)frame.Phase == TaggedPhase.InPrefix)
        {
            frame.Phase = (byte)TaggedPhase.AfterPrefix;
            frame.B = tag;
            return;
        }

        frame.Phase = (byte)(_grammar.Tagged!.Suffix.Length == 0 ? TaggedPhase.Done : TaggedPhase.InSuffix);
        frame.A = 0;
    }

    /// <summary>What the call still needs from its phase; the prefix trie's extra costs already include each tool's arguments.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TaggedCost(in GrammarFrame frame)
    {
        TaggedShape tagged = _grammar.Tagged!;
        return (TaggedPhase)frame.Phase switch
        {
            TaggedPhase.Start => _grammar.MinBytes,
            TaggedPhase.AfterPrefix => GrammarCost.Add(_grammar.Values[tagged.Arguments[frame.B]].MinBytes, tagged.Suffix.Length),
            TaggedPhase.InPrefix or TaggedPhase.InArguments => tagged.Suffix.Length,
            TaggedPhase.InSuffix => tagged.Suffix.Length - frame.A,
            _ => 0,
        };
    }
}
