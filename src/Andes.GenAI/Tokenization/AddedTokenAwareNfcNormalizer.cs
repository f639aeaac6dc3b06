using System.Text;
using Microsoft.ML.Tokenizers;

namespace Andes.GenAI;

/// <summary>
/// The normaliser given to Microsoft.ML.Tokenizers: NFC, applied only to the text between added tokens, as Hugging
/// Face does for added tokens with <c>normalized: false</c>. (NFC over the whole string would turn <c>&gt;</c> +
/// U+0338 into U+226F and break a preceding <c>&lt;think&gt;</c>.) Lone surrogates become U+FFFD, as they would in
/// UTF-8. Returns the input string itself when nothing changes. Immutable; safe for concurrent use.
/// </summary>
internal sealed class AddedTokenAwareNfcNormalizer : Normalizer
{
    private readonly AddedTokenMatcher _addedTokens;

    public AddedTokenAwareNfcNormalizer(AddedTokenMatcher addedTokens) => _addedTokens = addedTokens;

    /// <inheritdoc />
    public override string Normalize(string original)
    {
        if (string.IsNullOrEmpty(original))
        {
            return original ?? string.Empty;
        }

        return NeedsWork(original) ? NormalizeSegments(original) : original;
    }

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original)
        => NeedsWork(original) ? NormalizeSegments(original) : original.ToString();

    // Text made only of characters below U+0300 is NFC and nothing in it composes.
    private static bool NeedsWork(ReadOnlySpan<char> text) => text.IndexOfAnyInRange('\u0300', '\uffff') >= 0;

    private string NormalizeSegments(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length + 16);
        int position = 0;
        while (position < text.Length)
        {
            bool found = _addedTokens.TryFindNext(text, position, out int tokenIndex, out AddedToken? token);
            AppendNfc(builder, text[position..tokenIndex]);
            if (!found)
            {
                break;
            }

            builder.Append(token!.Content);
            position = tokenIndex + token.Content.Length;
        }

        return builder.ToString();
    }

    private static void AppendNfc(StringBuilder builder, ReadOnlySpan<char> segment)
    {
        if (NormalizeSegment(segment) is string normalized)
        {
            builder.Append(normalized);
        }
        else
        {
            builder.Append(segment);
        }
    }

    /// <summary>NFC-normalises text that holds no added token.</summary>
    /// <param name="segment">The text.</param>
    /// <returns>The normalised text, or <see langword="null"/> if <paramref name="segment"/> is already normalised.</returns>
    internal static string? NormalizeSegment(ReadOnlySpan<char> segment)
    {
        if (!NeedsWork(segment))
        {
            return null;
        }

        string text = ReplaceLoneSurrogates(segment);
        if (text.IsNormalized(NormalizationForm.FormC))
        {
            return segment.SequenceEqual(text) ? null : text;
        }

        return text.Normalize(NormalizationForm.FormC);
    }

    private static string ReplaceLoneSurrogates(ReadOnlySpan<char> segment)
    {
        char[]? copy = null;
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
            {
                i++;
                continue;
            }

            copy ??= segment.ToArray();
            copy[i] = '\uFFFD';
        }

        return copy is null ? segment.ToString() : new string(copy);
    }
}
