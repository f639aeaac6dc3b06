using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>
/// Arrays: items of one value shape, between <see cref="ArrayShape.MinItems"/> and <see cref="ArrayShape.MaxItems"/>
/// of them. <see cref="GrammarFrame.A"/> counts the items started so far.
/// </summary>
internal sealed partial class GrammarMachine
{
    private int FeedArray(GrammarFrame frame, byte b)
    {
        ArrayShape shape = _grammar.Arrays[frame.Shape];
        if (IsWhitespace(b))
        {
            return Whitespace(frame);
        }

        switch ((ArrayPhase)frame.Phase)
        {
            case ArrayPhase.AfterOpen:
                if (b == ']')
                {
                    return shape.MinItems == 0 ? Complete(frame.Parent, -1) : -1;
                }

                // MaxItems 0 comes from "maxItems": 0, "items": false or items that can never complete: only [] is left.
                if (shape.MaxItems == 0)
                {
                    return -1;
                }

                frame.Phase = (byte)ArrayPhase.InItem;
                frame.A = 1;
                return StartValue(frame, shape.Items, b);
            case ArrayPhase.AfterItem:
                // The count is enforced at the separators: no comma at the maximum, no "]" below the minimum.
                if (b == ',' && frame.A < shape.MaxItems)
                {
                    frame.Phase = (byte)ArrayPhase.AfterComma;
                    frame.Whitespace = 0;
                    return Emit(frame);
                }

                if (b == ']' && frame.A >= shape.MinItems)
                {
                    return Complete(frame.Parent, -1);
                }

                return -1;
            case ArrayPhase.AfterComma:
                frame.Phase = (byte)ArrayPhase.InItem;
                frame.A++;
                return StartValue(frame, shape.Items, b);
            default:
                return -1;
        }
    }

    /// <summary>The fewest bytes that close the array: the missing required items, each with its comma, then "]".</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ArrayCost(in GrammarFrame frame)
    {
        ArrayShape array = _grammar.Arrays[frame.Shape];
        int item = _grammar.Values[array.Items].MinBytes;
        return (ArrayPhase)frame.Phase switch
        {
            ArrayPhase.AfterOpen => JsonGrammar.ArrayOpenCost(array, item),

            // The comma is written, so the next item comes without one; any further required items need theirs.
            ArrayPhase.AfterComma => GrammarCost.Add(item, GrammarCost.Add(GrammarCost.Multiply(GrammarCost.Add(item, 1), Math.Max(0, array.MinItems - frame.A - 1)), 1)),

            // In or after item number A: the current item's own frames carry its cost.
            _ => GrammarCost.Add(GrammarCost.Multiply(GrammarCost.Add(item, 1), Math.Max(0, array.MinItems - frame.A)), 1),
        };
    }
}
