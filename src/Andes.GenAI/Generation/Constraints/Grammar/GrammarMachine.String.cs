using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>
/// Strings, after the opening quote: well-formed UTF-8 content, escapes, and length bounds.
/// <see cref="GrammarFrame.A"/> counts characters (Unicode code points) started so far.
/// </summary>
/// <remarks>
/// Length is counted the way JSON Schema counts it, in code points: a character is counted when it starts (its lead
/// byte, or the backslash of an escape), and a surrogate pair's second escape is read inside the same escape phases,
/// so the pair counts once. Surrogates must pair up because a lone one cannot be decoded to valid text (System.Text.Json
/// rejects it), and the output must always parse.
/// </remarks>
internal sealed partial class GrammarMachine
{
    /// <summary>
    /// Per <see cref="StringPhase"/> value, the fewest bytes that finish the character in progress (not the closing
    /// quote). Kept as a table because <see cref="StringCost"/> runs for every string byte probed.
    /// </summary>
    private static ReadOnlySpan<byte> StringPendingBytes =>
    [
        0, 1, 2, 3, 2, 2, 3, 3, // Boundary, then the Utf8Automaton states (continuation bytes still needed)
        1,                      // Escape: the escape letter
        4, 3, 2, 1,             // UnicodeDigit1..4
        3,                      // UnicodeDigit2AfterD (the cheapest way on is a non-surrogate escape)
        8, 7,                   // HighSurrogateDigit3..4: two digits, then \uDC00 (6 bytes)
        6, 5, 4,                // LowSurrogateBackslash, LowSurrogateU, LowSurrogateD
        3, 2, 1,                // LowSurrogateDigit2..4
    ];

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private int FeedString(GrammarFrame frame, byte b)
    {
        StringShape shape = _grammar.Strings[frame.Shape];
        StringPhase phase = (StringPhase)frame.Phase;
        switch (phase)
        {
            case StringPhase.Boundary:
                if (b == '"')
                {
                    return frame.A >= shape.MinLength ? Complete(frame.Parent, -1) : -1;
                }

                // Control characters must be escaped (RFC 8259); the length is checked before a character starts,
                // which is where it is counted.
                if (b < 0x20 || frame.A >= shape.MaxLength)
                {
                    return -1;
                }

                if (b == '\\')
                {
                    frame.Phase = (byte)StringPhase.Escape;
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
            case < StringPhase.Escape:
                // Inside a multi-byte character: the phase is the Utf8Automaton state.
                int state = Utf8Automaton.Continue(frame.Phase, b);
                if (state < 0)
                {
                    return -1;
                }

                frame.Phase = (byte)state;
                return Emit(frame);
            case StringPhase.Escape:
                return b switch
                {
                    (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' => Advance(frame, StringPhase.Boundary),
                    (byte)'u' => Advance(frame, StringPhase.UnicodeDigit1),
                    _ => -1,
                };
            case StringPhase.LowSurrogateBackslash:
                return b == '\\' ? Advance(frame, StringPhase.LowSurrogateU) : -1;
            case StringPhase.LowSurrogateU:
                return b == 'u' ? Advance(frame, StringPhase.LowSurrogateD) : -1;
            case StringPhase.LowSurrogateD:
                return b is (byte)'d' or (byte)'D' ? Advance(frame, StringPhase.LowSurrogateDigit2) : -1;
            case StringPhase.LowSurrogateDigit2:
                return HexValue(b) >= 0xC ? Advance(frame, StringPhase.LowSurrogateDigit3) : -1;
            default:
                return FeedUnicodeDigit(frame, phase, b);
        }
    }

    /// <summary>Takes a hex digit of a <c>\u</c> escape in any phase that accepts every hex digit (or, after <c>\uD</c>, most).</summary>
    private int FeedUnicodeDigit(GrammarFrame frame, StringPhase phase, byte b)
    {
        int hex = HexValue(b);
        if (hex < 0)
        {
            return -1;
        }

        // \uDC00-\uDFFF with no high surrogate before it: a lone low surrogate.
        if (phase == StringPhase.UnicodeDigit2AfterD && hex >= 0xC)
        {
            return -1;
        }

        StringPhase next = phase switch
        {
            // The first digit D is the only way into a surrogate, so it gets its own phase.
            StringPhase.UnicodeDigit1 => hex == 0xD ? StringPhase.UnicodeDigit2AfterD : StringPhase.UnicodeDigit2,
            StringPhase.UnicodeDigit2AfterD => hex >= 0x8 ? StringPhase.HighSurrogateDigit3 : StringPhase.UnicodeDigit3,
            StringPhase.UnicodeDigit2 => StringPhase.UnicodeDigit3,
            StringPhase.UnicodeDigit3 => StringPhase.UnicodeDigit4,
            StringPhase.HighSurrogateDigit3 => StringPhase.HighSurrogateDigit4,

            // A complete high surrogate: its low surrogate must follow, as a second escape.
            StringPhase.HighSurrogateDigit4 => StringPhase.LowSurrogateBackslash,
            StringPhase.LowSurrogateDigit3 => StringPhase.LowSurrogateDigit4,
            _ => StringPhase.Boundary, // UnicodeDigit4, LowSurrogateDigit4: the character is complete
        };
        return Advance(frame, next);
    }

    private int Advance(GrammarFrame frame, StringPhase phase)
    {
        frame.Phase = (byte)phase;
        return Emit(frame);
    }

    /// <summary>The rest of the character in progress, the characters still missing below the minimum length, and the closing quote.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int StringCost(in GrammarFrame frame)
        => StringPendingBytes[frame.Phase] + Math.Max(0, _grammar.Strings[frame.Shape].MinLength - frame.A) + 1;
}
