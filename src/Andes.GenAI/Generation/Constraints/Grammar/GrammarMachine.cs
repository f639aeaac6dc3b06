namespace Andes.GenAI;

/// <summary>
/// Runs a <see cref="JsonGrammar"/> byte by byte as a pushdown automaton over a <see cref="FrameArena"/>. A state is
/// the arena index of its top frame; <see cref="Feed(int, byte)"/> returns the state after one byte (or -1 when the byte is not
/// allowed) without touching the old state, so callers explore alternatives and undo by resetting
/// <see cref="FrameArena.Count"/>. Every frame records the fewest bytes that complete the whole document from it
/// (<see cref="GrammarFrame.Cost"/>), which makes "complete?" and "can this still finish within N tokens?" O(1).
/// </summary>
/// <remarks>
/// This file holds the entry points and the plumbing shared by every construct. Each construct has its own file
/// (<c>GrammarMachine.Object.cs</c>, <c>.Array</c>, <c>.String</c>, <c>.Number</c>, <c>.Literal</c>, <c>.Value</c>,
/// <c>.Root</c>, <c>.Tagged</c>) with how its frame takes a byte, what its frame still costs, and what it does when a
/// child value ends; its positions are named by its own phase enum (<see cref="ObjectPhase"/>, ...) stored in
/// <see cref="GrammarFrame.Phase"/>. Feed runs for every byte of every candidate token while the token mask is built,
/// so nothing here allocates: frames are passed by value and written to the arena.
/// </remarks>
internal sealed partial class GrammarMachine
{
    /// <summary>
    /// Returned by a number or literal frame when it ended before the byte: they have no closing delimiter (<c>12</c>
    /// may go on as <c>123</c>), so only the first byte that cannot continue them shows they are done, and that byte
    /// belongs to the parent.
    /// </summary>
    private const int Refeed = -2;

    private readonly JsonGrammar _grammar;
    private readonly int _maxWhitespace;

    /// <summary>Initializes a new machine with an empty arena.</summary>
    public GrammarMachine(JsonGrammar grammar)
    {
        _grammar = grammar;
        _maxWhitespace = grammar.MaxWhitespace;
    }

    /// <summary>Gets the frame storage.</summary>
    public FrameArena Arena { get; } = new();

    /// <summary>Gets the grammar.</summary>
    public JsonGrammar Grammar => _grammar;

    /// <summary>Writes the bottom frame of a new document and returns the state.</summary>
    public int CreateInitial()
    {
        var frame = new GrammarFrame
        {
            Parent = -1,
            Kind = _grammar.Tagged is null ? FrameKind.Root : FrameKind.Tagged,
            Shape = _grammar.RootValue,
        };
        return Emit(frame);
    }

    /// <summary>Gets whether a state is a complete document (nothing more is required).</summary>
    public bool IsComplete(int state) => Arena[state].Cost == 0;

    /// <summary>Gets the fewest bytes that complete the document from a state.</summary>
    public int Cost(int state) => Arena[state].Cost;

    /// <summary>Gets whether a state's top frame is string content (not inside an escape), with its shape, UTF-8 state and length so far.</summary>
    public bool IsInStringContent(int state, out StringShape shape, out int utf8State, out int length)
    {
        ref GrammarFrame frame = ref Arena[state];
        if (frame.Kind == FrameKind.String && (StringPhase)frame.Phase < StringPhase.Escape)
        {
            shape = _grammar.Strings[frame.Shape];
            utf8State = frame.Phase;
            length = frame.A;
            return true;
        }

        shape = null!;
        utf8State = 0;
        length = 0;
        return false;
    }

    /// <summary>Feeds several bytes; returns the final state or -1 at the first byte not allowed.</summary>
    public int Feed(int state, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            state = Feed(state, b);
            if (state < 0)
            {
                return -1;
            }
        }

        return state;
    }

    /// <summary>Feeds one byte.</summary>
    /// <returns>The new state, or -1 when the byte is not allowed.</returns>
    public int Feed(int state, byte b)
    {
        while (true)
        {
            GrammarFrame frame = Arena[state];
            int result;
            int tag = -1;
            switch (frame.Kind)
            {
                case FrameKind.Root:
                    return FeedRoot(frame, b);
                case FrameKind.Object:
                    return FeedObject(frame, b);
                case FrameKind.Array:
                    return FeedArray(frame, b);
                case FrameKind.String:
                    return FeedString(frame, b);
                case FrameKind.Tagged:
                    return FeedTagged(frame, b);
                case FrameKind.Number:
                    result = FeedNumber(frame, b);
                    break;
                case FrameKind.Literal:
                    result = FeedLiteral(frame, b);
                    if (result == Refeed)
                    {
                        // The literal ended at the node it was on; its tag says which one it was (key, tool).
                        tag = _grammar.Literals[frame.Shape].Tag(frame.A);
                    }

                    break;
                default:
                    return -1;
            }

            if (result != Refeed)
            {
                return result;
            }

            // The number or literal ended before this byte: close it, then loop so that the parent takes the byte
            // (which may end the parent too, e.g. "}" after a number closes the number and then the object).
            state = Complete(frame.Parent, tag);
        }
    }

    /// <summary>
    /// Builds the shortest completion from a state by always taking a byte that lowers the cost by one (used by tests
    /// and diagnostics; allocates). Frames written are discarded.
    /// </summary>
    public byte[] ShortestCompletion(int state)
    {
        int mark = Arena.Count;
        var bytes = new List<byte>();
        try
        {
            while (Arena[state].Cost > 0)
            {
                int cost = Arena[state].Cost;
                int next = -1;
                for (int b = 0; b < 256 && next < 0; b++)
                {
                    int candidate = Feed(state, (byte)b);
                    if (candidate >= 0 && Arena[candidate].Cost == cost - 1)
                    {
                        next = candidate;
                        bytes.Add((byte)b);
                    }
                }

                if (next < 0)
                {
                    throw new InvalidOperationException($"No byte lowers the completion cost {cost} (grammar cost tables are inconsistent).");
                }

                state = next;
            }

            return [.. bytes];
        }
        finally
        {
            Arena.Count = mark;
        }
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    /// <summary>
    /// Writes a frame with its cost: its own remaining bytes plus the cost stored in its parent. Storing the running
    /// total in every frame is what makes <see cref="Cost"/> O(1) instead of a walk down the stack per probe.
    /// </summary>
    private int Emit(GrammarFrame frame)
    {
        int below = frame.Parent >= 0 ? Arena[frame.Parent].Cost : 0;
        frame.Cost = GrammarCost.Add(OwnCost(in frame), below);
        return Arena.Add(frame);
    }

    /// <summary>
    /// Takes one whitespace byte in the current gap. The cap is what stops a model from looping on newlines forever
    /// (every such byte would be grammatical), and it lets costs ignore whitespace.
    /// </summary>
    private int Whitespace(GrammarFrame frame)
    {
        if (frame.Whitespace >= _maxWhitespace)
        {
            return -1;
        }

        frame.Whitespace++;
        return Emit(frame);
    }

    /// <summary>Moves a frame whose child (value or key) just ended to the phase after it.</summary>
    /// <param name="parentIndex">The arena index of the frame below the ended child.</param>
    /// <param name="tag">The ended literal's tag (which declared key or tool prefix), or -1 for other children.</param>
    private int Complete(int parentIndex, int tag)
    {
        GrammarFrame parent = Arena[parentIndex];
        parent.Whitespace = 0;
        switch (parent.Kind)
        {
            case FrameKind.Root:
                parent.Phase = (byte)RootPhase.AfterValue;
                break;
            case FrameKind.Object:
                EndObjectChild(ref parent, tag);
                break;
            case FrameKind.Array:
                parent.Phase = (byte)ArrayPhase.AfterItem;
                break;
            case FrameKind.Tagged:
                EndTaggedChild(ref parent, tag);
                break;
        }

        return Emit(parent);
    }

    /// <summary>The fewest bytes that complete this frame alone (the frames below add their own).</summary>
    /// <remarks>
    /// <see cref="Emit"/> calls this for every byte probed, so the small per-construct helpers are marked
    /// <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining"/> to keep this switch free of calls.
    /// </remarks>
    private int OwnCost(in GrammarFrame frame) => frame.Kind switch
    {
        FrameKind.Root => RootCost(in frame),
        FrameKind.Object => ObjectCost(in frame),
        FrameKind.Array => ArrayCost(in frame),
        FrameKind.String => StringCost(in frame),
        FrameKind.Number => NumberCost(in frame),
        FrameKind.Literal => LiteralCost(in frame),
        FrameKind.Tagged => TaggedCost(in frame),
        _ => 0,
    };
}
