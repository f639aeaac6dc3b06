using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Andes.GenAI;

/// <summary>
/// Splits text into the pieces the Qwen2 or GPT-2 pre-tokenisation regex would match, evaluated over Unicode code
/// points (a .NET <c>Regex</c> sees UTF-16 units, so <c>\p{L}</c>/<c>\p{N}</c> would miss letters and digits outside
/// the BMP such as 𝐀, 𝟏, 𠮷). Each alternative of the regex, with its backtracking, is written out by hand; every
/// position matches some alternative, so the pieces cover the text. Stateless and allocation-free.
/// </summary>
internal static class ByteLevelPieceSplitter
{
    private enum CharClass : byte
    {
        Other,
        Letter,
        Number,
        Space,

        // \r or \n: whitespace too.
        Newline,
    }

    private static readonly CharClass[] AsciiClasses = BuildAsciiClasses();

    /// <summary>Returns the end (exclusive) of the piece that starts at <paramref name="start"/>.</summary>
    /// <param name="text">The text (no added tokens inside).</param>
    /// <param name="start">The piece start; less than the text length.</param>
    /// <param name="pattern">The pattern to emulate.</param>
    /// <returns>The piece end.</returns>
    public static int NextPieceEnd(ReadOnlySpan<char> text, int start, ByteLevelSplitPattern pattern)
        => pattern == ByteLevelSplitPattern.Qwen2 ? NextQwen2(text, start) : NextGpt2(text, start);

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    private static int NextQwen2(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c == '\'')
        {
            int contraction = MatchContraction(text, i, ignoreCase: true);
            if (contraction > 0)
            {
                return i + contraction;
            }
        }

        CharClass cls = ClassAt(text, i, out int length);
        if (cls == CharClass.Letter)
        {
            return SkipClass(text, i, CharClass.Letter);
        }

        if (cls is CharClass.Other or CharClass.Space)
        {
            // [^\r\n\p{L}\p{N}]\p{L}+
            int next = i + length;
            if (next < text.Length && ClassAt(text, next, out _) == CharClass.Letter)
            {
                return SkipClass(text, next, CharClass.Letter);
            }
        }

        if (cls == CharClass.Number)
        {
            return i + length;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int symbolStart = -1;
        if (cls == CharClass.Other)
        {
            symbolStart = i;
        }
        else if (c == ' ' && i + 1 < text.Length && ClassAt(text, i + 1, out _) == CharClass.Other)
        {
            symbolStart = i + 1;
        }

        if (symbolStart >= 0)
        {
            int end = SkipClass(text, symbolStart, CharClass.Other);
            while (end < text.Length && text[end] is '\r' or '\n')
            {
                end++;
            }

            return end;
        }

        // Whitespace (all whitespace code points are single UTF-16 units).
        int runEnd = i;
        int lastNewline = -1;
        while (runEnd < text.Length)
        {
            CharClass runClass = ClassAt(text, runEnd, out _);
            if (runClass == CharClass.Newline)
            {
                lastNewline = runEnd;
            }
            else if (runClass != CharClass.Space)
            {
                break;
            }

            runEnd++;
        }

        // \s*[\r\n]+ : backtracking stops right after the last \r or \n of the run.
        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        return WhitespaceRunEnd(text.Length, i, runEnd);
    }

    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    private static int NextGpt2(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c == '\'')
        {
            int contraction = MatchContraction(text, i, ignoreCase: false);
            if (contraction > 0)
            {
                return i + contraction;
            }
        }

        int start = i;
        CharClass cls = ClassAt(text, i, out _);
        if (c == ' ' && i + 1 < text.Length)
        {
            CharClass nextClass = ClassAt(text, i + 1, out _);
            if (nextClass is CharClass.Letter or CharClass.Number or CharClass.Other)
            {
                start = i + 1;
                cls = nextClass;
            }
        }

        if (cls is CharClass.Letter or CharClass.Number or CharClass.Other)
        {
            return SkipClass(text, start, cls);
        }

        int runEnd = i;
        while (runEnd < text.Length && ClassAt(text, runEnd, out _) is CharClass.Space or CharClass.Newline)
        {
            runEnd++;
        }

        return WhitespaceRunEnd(text.Length, i, runEnd);
    }

    // \s+(?!\S) then \s+ over the whitespace run [start, runEnd).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WhitespaceRunEnd(int textLength, int start, int runEnd)
    {
        if (runEnd == textLength)
        {
            return runEnd;
        }

        // Followed by a non-space: give the last whitespace to the next piece, if the run keeps at least one.
        return runEnd - start >= 2 ? runEnd - 1 : runEnd;
    }

    private static int MatchContraction(ReadOnlySpan<char> text, int i, bool ignoreCase)
    {
        if (i + 1 >= text.Length)
        {
            return 0;
        }

        // Only ASCII case folding: Hugging Face (Oniguruma) does not match U+017F for 's'.
        char a = Fold(text[i + 1], ignoreCase);
        if (a is 's' or 't' or 'm' or 'd')
        {
            return 2;
        }

        if (i + 2 >= text.Length)
        {
            return 0;
        }

        char b = Fold(text[i + 2], ignoreCase);
        return (a, b) switch
        {
            ('r', 'e') or ('v', 'e') or ('l', 'l') => 3,
            _ => 0,
        };

        static char Fold(char c, bool ignoreCase) => ignoreCase && c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
    }

    private static int SkipClass(ReadOnlySpan<char> text, int i, CharClass cls)
    {
        while (i < text.Length && ClassAt(text, i, out int length) == cls)
        {
            i += length;
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CharClass ClassAt(ReadOnlySpan<char> text, int i, out int length)
    {
        char c = text[i];
        if (c < 128)
        {
            length = 1;
            return AsciiClasses[c];
        }

        return ClassifyNonAscii(text, i, out length);
    }

    private static CharClass ClassifyNonAscii(ReadOnlySpan<char> text, int i, out int length)
    {
        char c = text[i];
        Rune rune;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            rune = new Rune(c, text[i + 1]);
            length = 2;
        }
        else if (char.IsSurrogate(c))
        {
            // A lone surrogate becomes U+FFFD in UTF-8: a symbol.
            length = 1;
            return CharClass.Other;
        }
        else
        {
            rune = new Rune(c);
            length = 1;
        }

        if (Rune.IsWhiteSpace(rune))
        {
            return CharClass.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }

    private static CharClass[] BuildAsciiClasses()
    {
        var classes = new CharClass[128];
        for (int c = 0; c < 128; c++)
        {
            classes[c] = c switch
            {
                '\r' or '\n' => CharClass.Newline,
                '\t' or '\v' or '\f' or ' ' => CharClass.Space,
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' => CharClass.Letter,
                >= '0' and <= '9' => CharClass.Number,
                _ => CharClass.Other,
            };
        }

        return classes;
    }
}
