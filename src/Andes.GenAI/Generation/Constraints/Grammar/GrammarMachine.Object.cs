namespace Andes.GenAI;

/// <summary>
/// Objects. A free-form object (<see cref="ObjectShape.Free"/>) takes any string keys, each followed by a value of one
/// shape. A declared object takes its properties in declaration order, each at most once, skipping optional ones but
/// never a required one. Frame counters of a declared object: <see cref="GrammarFrame.A"/> is the first property that
/// may still come, <see cref="GrammarFrame.B"/> the property whose key was just read (the key literal's tag).
/// </summary>
/// <remarks>
/// Declaration order is what makes declared objects cheap: which keys may come next is a contiguous tag range of
/// one key trie (from <see cref="GrammarFrame.A"/> to the next required property), so no per-object set of seen keys
/// is needed and a frame stays a fixed-size struct.
/// </remarks>
internal sealed partial class GrammarMachine
{
    private int FeedObject(GrammarFrame frame, byte b)
    {
        ObjectShape shape = _grammar.Objects[frame.Shape];
        if (IsWhitespace(b))
        {
            return Whitespace(frame);
        }

        switch ((ObjectPhase)frame.Phase)
        {
            case ObjectPhase.AfterOpen:
            case ObjectPhase.AfterComma:
                if (b == '"')
                {
                    return StartKey(frame, shape, b);
                }

                // "}" right after "{" only; after a comma a key must follow.
                if (b == '}' && (ObjectPhase)frame.Phase == ObjectPhase.AfterOpen && (shape.Free || shape.RequiredCountFrom[0] == 0))
                {
                    return Complete(frame.Parent, -1);
                }

                return -1;
            case ObjectPhase.AfterKey:
                if (b != ':')
                {
                    return -1;
                }

                frame.Phase = (byte)ObjectPhase.AfterColon;
                frame.Whitespace = 0;
                return Emit(frame);
            case ObjectPhase.AfterColon:
                frame.Phase = (byte)ObjectPhase.InValue;
                return StartValue(frame, shape.Free ? shape.AdditionalValue : shape.Properties[frame.B].Value, b);
            case ObjectPhase.AfterValue:
                // A comma only when another member can follow: a declared object with no property left would make
                // the comma a dead end (the model could never finish).
                if (b == ',' && (shape.Free || frame.A < shape.Properties.Length))
                {
                    frame.Phase = (byte)ObjectPhase.AfterComma;
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

    /// <summary>Starts a key at its opening quote <paramref name="b"/>.</summary>
    private int StartKey(GrammarFrame frame, ObjectShape shape, byte b)
    {
        frame.Phase = (byte)ObjectPhase.InKey;
        frame.Whitespace = 0;
        if (shape.Free)
        {
            // Any key: an unbounded string (shape 0); the quote is consumed by writing the string frame.
            int parent = Emit(frame);
            return Emit(new GrammarFrame { Parent = parent, Kind = FrameKind.String, Shape = 0, Flags = GrammarFrame.KeyFlag });
        }

        int lo = frame.A;
        if (lo >= shape.Properties.Length)
        {
            return -1;
        }

        // Declared keys are literals (quotes included) of the key trie, limited to the properties that may come next:
        // from the first one not yet passed to the first required one (skipping a required property is not allowed).
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
        return StartLiteral(key, b);
    }

    /// <summary>Moves an object to the phase after its key or member value ended.</summary>
    private void EndObjectChild(ref GrammarFrame frame, int tag)
    {
        if ((ObjectPhase)frame.Phase == ObjectPhase.InKey)
        {
            frame.Phase = (byte)ObjectPhase.AfterKey;
            frame.B = tag;
            return;
        }

        frame.Phase = (byte)ObjectPhase.AfterValue;
        if (!_grammar.Objects[frame.Shape].Free)
        {
            // Declaration order: only properties after the one just written may come next.
            frame.A = frame.B + 1;
        }
    }

    /// <summary>The fewest bytes that close the object from its phase (whitespace not counted).</summary>
    private int ObjectCost(in GrammarFrame frame)
    {
        ObjectShape shape = _grammar.Objects[frame.Shape];
        if (shape.Free)
        {
            // Nothing is required, so the cheapest way out is always "}" once the current member is done.
            int value = _grammar.Values[shape.AdditionalValue].MinBytes;
            return (ObjectPhase)frame.Phase switch
            {
                ObjectPhase.AfterOpen or ObjectPhase.InValue or ObjectPhase.AfterValue => 1,
                ObjectPhase.InKey or ObjectPhase.AfterKey => GrammarCost.Add(value, 2), // : value } (an unfinished key string owes its own quote)
                ObjectPhase.AfterColon => GrammarCost.Add(value, 1), // value }
                _ => GrammarCost.Add(value, 4), // after a comma: "" : value }
            };
        }

        return (ObjectPhase)frame.Phase switch
        {
            ObjectPhase.AfterOpen => shape.RequiredCountFrom[0] == 0 ? 1 : GrammarCost.Add(shape.NextPropertyCostFrom[0], 1),

            // The key literal's trie carries colon, value and every later required property as extra cost of each
            // key, so the object itself only owes its "}".
            ObjectPhase.InKey => 1,
            ObjectPhase.AfterKey => GrammarCost.Add(GrammarCost.Add(_grammar.Values[shape.Properties[frame.B].Value].MinBytes, 2), shape.RequiredCostFrom[frame.B + 1]),
            ObjectPhase.AfterColon => GrammarCost.Add(GrammarCost.Add(_grammar.Values[shape.Properties[frame.B].Value].MinBytes, 1), shape.RequiredCostFrom[frame.B + 1]),
            ObjectPhase.InValue => GrammarCost.Add(shape.RequiredCostFrom[frame.B + 1], 1),
            ObjectPhase.AfterValue => GrammarCost.Add(shape.RequiredCostFrom[frame.A], 1),
            _ => GrammarCost.Add(shape.NextPropertyCostFrom[frame.A], 1), // after a comma
        };
    }
}
