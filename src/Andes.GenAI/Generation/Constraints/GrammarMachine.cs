namespace Andes.GenAI;

/// <summary>
/// Runs a <see cref="JsonGrammar"/> byte by byte as a pushdown automaton over a <see cref="FrameArena"/>. A state is
/// the arena index of its top frame; <see cref="Feed(int, byte)"/> returns the state after one byte (or -1 when the byte is not
/// allowed) without touching the old state, so callers explore alternatives and undo by resetting
/// <see cref="FrameArena.Count"/>. Every frame records the fewest bytes that complete the whole document from it
/// (<see cref="GrammarFrame.Cost"/>), which makes "complete?" and "can this still finish within N tokens?" O(1).
/// </summary>
internal sealed class GrammarMachine
{
    /// <summary>Returned internally when a number or literal ended before the byte, which the parent must take.</summary>
    private const int Refeed = -2;

    // Root phases.
    private const byte RootBefore = 0;
    private const byte RootIn = 1;
    private const byte RootAfter = 2;

    // Object phases.
    private const byte ObjAfterOpen = 0;
    private const byte ObjInKey = 1;
    private const byte ObjAfterKey = 2;
    private const byte ObjAfterColon = 3;
    private const byte ObjInValue = 4;
    private const byte ObjAfterValue = 5;
    private const byte ObjAfterComma = 6;

    // Array phases.
    private const byte ArrAfterOpen = 0;
    private const byte ArrInValue = 1;
    private const byte ArrAfterValue = 2;
    private const byte ArrAfterComma = 3;

    // String phases: 0-7 are the UTF-8 states of Utf8Automaton (content); the rest are escapes.
    private const byte StrEscape = 8;
    private const byte StrU0 = 9;
    private const byte StrU1 = 10;
    private const byte StrU2 = 11;
    private const byte StrU3 = 12;
    private const byte StrU1D = 13;
    private const byte StrHigh2 = 14;
    private const byte StrHigh3 = 15;
    private const byte StrNeedBackslash = 16;
    private const byte StrNeedU = 17;
    private const byte StrNeedD = 18;
    private const byte StrNeedLow = 19;
    private const byte StrLow2 = 20;
    private const byte StrLow3 = 21;

    // Number phases.
    private const byte NumStart = 0;
    private const byte NumMinus = 1;
    private const byte NumZero = 2;
    private const byte NumInt = 3;
    private const byte NumDot = 4;
    private const byte NumFrac = 5;
    private const byte NumExp = 6;
    private const byte NumExpSign = 7;
    private const byte NumExpDigits = 8;

    // Tagged phases.
    private const byte TagStart = 0;
    private const byte TagInPrefix = 1;
    private const byte TagAfterPrefix = 2;
    private const byte TagInValue = 3;
    private const byte TagInSuffix = 4;
    private const byte TagDone = 5;

    private static readonly byte[] StringPending = [0, 1, 2, 3, 2, 2, 3, 3, 1, 4, 3, 2, 1, 3, 8, 7, 6, 5, 4, 3, 2, 1];

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
        if (frame.Kind == FrameKind.String && frame.Phase < Utf8Automaton.StateCount)
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

            // The number or literal ended before this byte: close it and let the parent take the byte.
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

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private int Emit(GrammarFrame frame)
    {
        int below = frame.Parent >= 0 ? Arena[frame.Parent].Cost : 0;
        frame.Cost = GrammarCost.Add(OwnCost(in frame), below);
        return Arena.Add(frame);
    }

    private int Whitespace(GrammarFrame frame)
    {
        if (frame.Whitespace >= _maxWhitespace)
        {
            return -1;
        }

        frame.Whitespace++;
        return Emit(frame);
    }

    private int StartValue(GrammarFrame parent, int value, byte b)
    {
        ValueShape shape = _grammar.Values[value];
        ValueAlternative alternative = shape.Dispatch[b];
        if (alternative == ValueAlternative.None)
        {
            return -1;
        }

        parent.Whitespace = 0;
        int parentIndex = Emit(parent);
        switch (alternative)
        {
            case ValueAlternative.Object:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Object, Shape = shape.Object, Phase = ObjAfterOpen });
            case ValueAlternative.Array:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Array, Shape = shape.Array, Phase = ArrAfterOpen });
            case ValueAlternative.String:
                return Emit(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.String, Shape = shape.String });
            case ValueAlternative.Number:
                return FeedNumber(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Number, Shape = shape.Number, Phase = NumStart }, b);
            default:
                int result = FeedLiteral(new GrammarFrame { Parent = parentIndex, Kind = FrameKind.Literal, Shape = shape.Literal, C = int.MaxValue }, b);
                return result == Refeed ? -1 : result;
        }
    }

    /// <summary>Moves a frame whose child (value or key) just ended to the phase after it.</summary>
    private int Complete(int parentIndex, int tag)
    {
        GrammarFrame parent = Arena[parentIndex];
        parent.Whitespace = 0;
        switch (parent.Kind)
        {
            case FrameKind.Root:
                parent.Phase = RootAfter;
                break;
            case FrameKind.Object:
                ObjectShape shape = _grammar.Objects[parent.Shape];
                if (parent.Phase == ObjInKey)
                {
                    parent.Phase = ObjAfterKey;
                    parent.B = tag;
                }
                else
                {
                    parent.Phase = ObjAfterValue;
                    if (!shape.Free)
                    {
                        parent.A = parent.B + 1;
                    }
                }

                break;
            case FrameKind.Array:
                parent.Phase = ArrAfterValue;
                break;
            case FrameKind.Tagged:
                if (parent.Phase == TagInPrefix)
                {
                    parent.Phase = TagAfterPrefix;
                    parent.B = tag;
                }
                else
                {
                    parent.Phase = _grammar.Tagged!.Suffix.Length == 0 ? TagDone : TagInSuffix;
                    parent.A = 0;
                }

                break;
        }

        return Emit(parent);
    }

    private int FeedRoot(GrammarFrame frame, byte b)
    {
        if (IsWhitespace(b))
        {
            // Whitespace may lead the value; after a complete value only the end of the output may come.
            return frame.Phase == RootBefore ? Whitespace(frame) : -1;
        }

        if (frame.Phase != RootBefore)
        {
            return -1;
        }

        frame.Phase = RootIn;
        return StartValue(frame, frame.Shape, b);
    }

    private int FeedObject(GrammarFrame frame, byte b)
    {
        ObjectShape shape = _grammar.Objects[frame.Shape];
        if (IsWhitespace(b))
        {
            return Whitespace(frame);
        }

        switch (frame.Phase)
        {
            case ObjAfterOpen:
            case ObjAfterComma:
                if (b == '"')
                {
                    if (shape.Free)
                    {
                        frame.Phase = ObjInKey;
                        frame.Whitespace = 0;
                        int parent = Emit(frame);
                        return Emit(new GrammarFrame { Parent = parent, Kind = FrameKind.String, Shape = 0, Flags = GrammarFrame.KeyFlag });
                    }

                    int lo = frame.A;
                    if (lo >= shape.Properties.Length)
                    {
                        return -1;
                    }

                    frame.Phase = ObjInKey;
                    frame.Whitespace = 0;
                    int objectIndex = Emit(frame);
                    var key = new GrammarFrame
                    {
                        Parent = objectIndex,
                        Kind = FrameKind.Literal,
                        Shape = shape.KeyTrie,
                        B = lo,
                        C = shape.LastCandidateFrom[lo],
                        Flags = GrammarFrame.KeyFlag,
                    };
                    int result = FeedLiteral(key, b);
                    return result == Refeed ? -1 : result;
                }

                if (b == '}' && frame.Phase == ObjAfterOpen && (shape.Free || shape.RequiredCountFrom[0] == 0))
                {
                    return Complete(frame.Parent, -1);
                }

                return -1;
            case ObjAfterKey:
                if (b != ':')
                {
                    return -1;
                }

                frame.Phase = ObjAfterColon;
                frame.Whitespace = 0;
                return Emit(frame);
            case ObjAfterColon:
                frame.Phase = ObjInValue;
                return StartValue(frame, shape.Free ? shape.AdditionalValue : shape.Properties[frame.B].Value, b);
            case ObjAfterValue:
                if (b == ',' && (shape.Free || frame.A < shape.Properties.Length))
                {
                    frame.Phase = ObjAfterComma;
                    frame.Whitespace = 0;
                    return Emit(frame);
                }

                if (b == '}' && (shape.Free || shape.RequiredCountFrom[frame.A] == 0))
                {
                    return Complete(frame.Parent, -1);
                }

                return -1;
            default:
                return -1;
        }
    }

    private int FeedArray(GrammarFrame frame, byte b)
    {
        ArrayShape shape = _grammar.Arrays[frame.Shape];
        if (IsWhitespace(b))
        {
            return Whitespace(frame);
        }

        switch (frame.Phase)
        {
            case ArrAfterOpen:
                if (b == ']')
                {
                    return shape.MinItems == 0 ? Complete(frame.Parent, -1) : -1;
                }

                if (shape.MaxItems == 0)
                {
                    return -1;
                }

                frame.Phase = ArrInValue;
                frame.A = 1;
                return StartValue(frame, shape.Items, b);
            case ArrAfterValue:
                if (b == ',' && frame.A < shape.MaxItems)
                {
                    frame.Phase = ArrAfterComma;
                    frame.Whitespace = 0;
                    return Emit(frame);
                }

                if (b == ']' && frame.A >= shape.MinItems)
                {
                    return Complete(frame.Parent, -1);
                }

                return -1;
            case ArrAfterComma:
                frame.Phase = ArrInValue;
                frame.A++;
                return StartValue(frame, shape.Items, b);
            default:
                return -1;
        }
    }

    private int FeedString(GrammarFrame frame, byte b)
    {
        StringShape shape = _grammar.Strings[frame.Shape];
        switch (frame.Phase)
        {
            case Utf8Automaton.Boundary:
                if (b == '"')
                {
                    return frame.A >= shape.MinLength ? Complete(frame.Parent, -1) : -1;
                }

                if (b < 0x20 || frame.A >= shape.MaxLength)
                {
                    return -1;
                }

                if (b == '\\')
                {
                    frame.Phase = StrEscape;
                }
                else
                {
                    int next = Utf8Automaton.Lead(b);
                    if (next < 0)
                    {
                        return -1;
                    }

                    frame.Phase = (byte)next;
                }

                frame.A++;
                return Emit(frame);
            case < Utf8Automaton.StateCount:
                int state = Utf8Automaton.Continue(frame.Phase, b);
                if (state < 0)
                {
                    return -1;
                }

                frame.Phase = (byte)state;
                return Emit(frame);
            case StrEscape:
                switch (b)
                {
                    case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                        frame.Phase = Utf8Automaton.Boundary;
                        return Emit(frame);
                    case (byte)'u':
                        frame.Phase = StrU0;
                        return Emit(frame);
                    default:
                        return -1;
                }

            case StrNeedBackslash:
                return b == '\\' ? EmitPhase(frame, StrNeedU) : -1;
            case StrNeedU:
                return b == 'u' ? EmitPhase(frame, StrNeedD) : -1;
            case StrNeedD:
                return b is (byte)'d' or (byte)'D' ? EmitPhase(frame, StrNeedLow) : -1;
            case StrNeedLow:
                int low = HexValue(b);
                return low >= 0xC ? EmitPhase(frame, StrLow2) : -1;
            default:
                int hex = HexValue(b);
                if (hex < 0)
                {
                    return -1;
                }

                byte phase = frame.Phase switch
                {
                    StrU0 => hex == 0xD ? StrU1D : StrU1,
                    StrU1D => hex switch
                    {
                        >= 0xC => 255, // a low surrogate without a high one
                        >= 0x8 => StrHigh2,
                        _ => StrU2,
                    },
                    StrU1 => StrU2,
                    StrU2 => StrU3,
                    StrHigh2 => StrHigh3,
                    StrHigh3 => StrNeedBackslash,
                    StrLow2 => StrLow3,
                    _ => Utf8Automaton.Boundary, // StrU3, StrLow3
                };
                return phase == 255 ? -1 : EmitPhase(frame, phase);
        }
    }

    private int EmitPhase(GrammarFrame frame, byte phase)
    {
        frame.Phase = phase;
        return Emit(frame);
    }

    private int FeedNumber(GrammarFrame frame, byte b)
    {
        bool integer = frame.Shape == 1;
        bool digit = IsDigit(b);
        switch (frame.Phase)
        {
            case NumStart:
            case NumMinus:
                if (b == '-' && frame.Phase == NumStart)
                {
                    return EmitPhase(frame, NumMinus);
                }

                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return EmitPhase(frame, b == '0' ? NumZero : NumInt);
            case NumZero:
            case NumInt:
                if (digit)
                {
                    if (frame.Phase == NumZero || frame.A >= JsonGrammar.MaxIntegerDigits)
                    {
                        return -1;
                    }

                    frame.A++;
                    return Emit(frame);
                }

                if (!integer && b == '.')
                {
                    return EmitPhase(frame, NumDot);
                }

                if (!integer && b is (byte)'e' or (byte)'E')
                {
                    return EmitPhase(frame, NumExp);
                }

                return Refeed;
            case NumDot:
                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return EmitPhase(frame, NumFrac);
            case NumFrac:
                if (digit)
                {
                    if (frame.A >= JsonGrammar.MaxFractionDigits)
                    {
                        return -1;
                    }

                    frame.A++;
                    return Emit(frame);
                }

                return b is (byte)'e' or (byte)'E' ? EmitPhase(frame, NumExp) : Refeed;
            case NumExp:
            case NumExpSign:
                if (b is (byte)'+' or (byte)'-' && frame.Phase == NumExp)
                {
                    return EmitPhase(frame, NumExpSign);
                }

                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return EmitPhase(frame, NumExpDigits);
            default: // NumExpDigits
                if (digit)
                {
                    if (frame.A >= JsonGrammar.MaxExponentDigits)
                    {
                        return -1;
                    }

                    frame.A++;
                    return Emit(frame);
                }

                return Refeed;
        }
    }

    private int FeedLiteral(GrammarFrame frame, byte b)
    {
        LiteralTrie trie = _grammar.Literals[frame.Shape];
        int child = trie.Child(frame.A, b);
        if (child >= 0 && trie.HasTagInRange(child, frame.B, frame.C))
        {
            int tag = trie.Tag(child);
            if (tag >= 0 && !trie.HasChildren(child) && tag >= frame.B && tag <= frame.C)
            {
                return Complete(frame.Parent, tag);
            }

            frame.A = child;
            return Emit(frame);
        }

        int here = trie.Tag(frame.A);
        return here >= 0 && here >= frame.B && here <= frame.C ? Refeed : -1;
    }

    private int FeedTagged(GrammarFrame frame, byte b)
    {
        TaggedShape shape = _grammar.Tagged!;
        switch (frame.Phase)
        {
            case TagStart:
                frame.Phase = TagInPrefix;
                int parent = Emit(frame);
                int result = FeedLiteral(new GrammarFrame { Parent = parent, Kind = FrameKind.Literal, Shape = shape.PrefixTrie, C = int.MaxValue }, b);
                return result == Refeed ? -1 : result;
            case TagAfterPrefix:
                frame.Phase = TagInValue;
                return StartValue(frame, shape.Arguments[frame.B], b);
            case TagInSuffix:
                if (b != shape.Suffix[frame.A])
                {
                    return -1;
                }

                frame.A++;
                if (frame.A == shape.Suffix.Length)
                {
                    frame.Phase = TagDone;
                }

                return Emit(frame);
            default:
                return -1;
        }
    }

    private int OwnCost(in GrammarFrame frame)
    {
        switch (frame.Kind)
        {
            case FrameKind.Root:
                return frame.Phase == RootBefore ? _grammar.Values[frame.Shape].MinBytes : 0;
            case FrameKind.Object:
                return ObjectCost(in frame);
            case FrameKind.Array:
                ArrayShape array = _grammar.Arrays[frame.Shape];
                int item = _grammar.Values[array.Items].MinBytes;
                return frame.Phase switch
                {
                    ArrAfterOpen => JsonGrammar.ArrayOpenCost(array, item),
                    ArrAfterComma => GrammarCost.Add(item, GrammarCost.Add(GrammarCost.Multiply(GrammarCost.Add(item, 1), Math.Max(0, array.MinItems - frame.A - 1)), 1)),
                    _ => GrammarCost.Add(GrammarCost.Multiply(GrammarCost.Add(item, 1), Math.Max(0, array.MinItems - frame.A)), 1),
                };
            case FrameKind.String:
                return StringPending[frame.Phase] + Math.Max(0, _grammar.Strings[frame.Shape].MinLength - frame.A) + 1;
            case FrameKind.Number:
                return frame.Phase is NumStart or NumMinus or NumDot or NumExp or NumExpSign ? 1 : 0;
            case FrameKind.Literal:
                return _grammar.Literals[frame.Shape].Cost(frame.A, frame.B, frame.C);
            case FrameKind.Tagged:
                TaggedShape tagged = _grammar.Tagged!;
                return frame.Phase switch
                {
                    TagStart => _grammar.MinBytes,
                    TagAfterPrefix => GrammarCost.Add(_grammar.Values[tagged.Arguments[frame.B]].MinBytes, tagged.Suffix.Length),
                    TagInPrefix or TagInValue => tagged.Suffix.Length,
                    TagInSuffix => tagged.Suffix.Length - frame.A,
                    _ => 0,
                };
            default:
                return 0;
        }
    }

    private int ObjectCost(in GrammarFrame frame)
    {
        ObjectShape shape = _grammar.Objects[frame.Shape];
        if (shape.Free)
        {
            int value = _grammar.Values[shape.AdditionalValue].MinBytes;
            return frame.Phase switch
            {
                ObjAfterOpen or ObjInValue or ObjAfterValue => 1,
                ObjInKey or ObjAfterKey => GrammarCost.Add(value, 2),
                ObjAfterColon => GrammarCost.Add(value, 1),
                _ => GrammarCost.Add(value, 4), // after a comma: "" : value }
            };
        }

        return frame.Phase switch
        {
            ObjAfterOpen => shape.RequiredCountFrom[0] == 0 ? 1 : GrammarCost.Add(shape.NextPropertyCostFrom[0], 1),
            ObjInKey => 1,
            ObjAfterKey => GrammarCost.Add(GrammarCost.Add(_grammar.Values[shape.Properties[frame.B].Value].MinBytes, 2), shape.RequiredCostFrom[frame.B + 1]),
            ObjAfterColon => GrammarCost.Add(GrammarCost.Add(_grammar.Values[shape.Properties[frame.B].Value].MinBytes, 1), shape.RequiredCostFrom[frame.B + 1]),
            ObjInValue => GrammarCost.Add(shape.RequiredCostFrom[frame.B + 1], 1),
            ObjAfterValue => GrammarCost.Add(shape.RequiredCostFrom[frame.A], 1),
            _ => GrammarCost.Add(shape.NextPropertyCostFrom[frame.A], 1), // after a comma
        };
    }
}
