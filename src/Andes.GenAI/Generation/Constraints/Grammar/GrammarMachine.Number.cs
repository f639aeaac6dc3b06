using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>
/// Numbers (RFC 8259), or integers only when the frame's shape is <see cref="NumberShapes.IntegerOnly"/>.
/// <see cref="GrammarFrame.A"/> counts the digits of the current part (integer, fraction or exponent).
/// </summary>
/// <remarks>
/// Each part has a digit cap (<see cref="JsonGrammar.MaxIntegerDigits"/>, ...): without it a model could emit digits
/// forever, every one of them grammatical, and the value would no longer fit a double. A number has no closing
/// delimiter, so the byte after it is handed back with <see cref="Refeed"/>.
/// </remarks>
internal sealed partial class GrammarMachine
{
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private int FeedNumber(GrammarFrame frame, byte b)
    {
        bool integer = frame.Shape == NumberShapes.IntegerOnly;
        bool digit = IsDigit(b);
        NumberPhase phase = (NumberPhase)frame.Phase;
        switch (phase)
        {
            case NumberPhase.Start:
            case NumberPhase.AfterMinus:
                if (b == '-' && phase == NumberPhase.Start)
                {
                    return Advance(frame, NumberPhase.AfterMinus);
                }

                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return Advance(frame, b == '0' ? NumberPhase.AfterLeadingZero : NumberPhase.IntegerDigits);
            case NumberPhase.AfterLeadingZero:
            case NumberPhase.IntegerDigits:
                if (digit)
                {
                    if (phase == NumberPhase.AfterLeadingZero || frame.A >= JsonGrammar.MaxIntegerDigits)
                    {
                        return -1;
                    }

                    frame.A++;
                    return Emit(frame);
                }

                // Integers take no fraction and no exponent, although JSON Schema counts 1.0 and 1e3 as integers:
                // readers such as JsonElement.GetInt32 reject those texts.
                if (!integer && b == '.')
                {
                    return Advance(frame, NumberPhase.AfterDot);
                }

                if (!integer && b is (byte)'e' or (byte)'E')
                {
                    return Advance(frame, NumberPhase.AfterExponentMark);
                }

                return Refeed;
            case NumberPhase.AfterDot:
                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return Advance(frame, NumberPhase.FractionDigits);
            case NumberPhase.FractionDigits:
                if (digit)
                {
                    if (frame.A >= JsonGrammar.MaxFractionDigits)
                    {
                        return -1;
                    }

                    frame.A++;
                    return Emit(frame);
                }

                return b is (byte)'e' or (byte)'E' ? Advance(frame, NumberPhase.AfterExponentMark) : Refeed;
            case NumberPhase.AfterExponentMark:
            case NumberPhase.AfterExponentSign:
                if (b is (byte)'+' or (byte)'-' && phase == NumberPhase.AfterExponentMark)
                {
                    return Advance(frame, NumberPhase.AfterExponentSign);
                }

                if (!digit)
                {
                    return -1;
                }

                frame.A = 1;
                return Advance(frame, NumberPhase.ExponentDigits);
            default: // NumberPhase.ExponentDigits
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

    private int Advance(GrammarFrame frame, NumberPhase phase)
    {
        frame.Phase = (byte)phase;
        return Emit(frame);
    }

    /// <summary>One more digit in the phases that cannot end a number yet; otherwise the number may end here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NumberCost(in GrammarFrame frame)
        => (NumberPhase)frame.Phase is NumberPhase.Start or NumberPhase.AfterMinus or NumberPhase.AfterDot
            or NumberPhase.AfterExponentMark or NumberPhase.AfterExponentSign ? 1 : 0;
}
