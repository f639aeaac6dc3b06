using System.Buffers;

namespace Andes.GenAI;

/// <summary>
/// Finds added tokens in text, leftmost-longest (as Hugging Face's added vocabulary does): the earliest position where
/// any added token starts wins, and at that position the longest token. Immutable; safe for concurrent use.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly SearchValues<char> _firstChars;

    // For each distinct first character, the tokens starting with it, longest first.
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenMatcher(IReadOnlyList<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ThenBy(t => t.Id).ToArray());
        _firstChars = SearchValues.Create(new string([.. _byFirstChar.Keys]));
        IsEmpty = tokens.Count == 0;
    }

    /// <summary>Gets a value indicating whether there are no added tokens.</summary>
    public bool IsEmpty { get; }

    /// <summary>Finds the next added token at or after <paramref name="start"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where to start searching.</param>
    /// <param name="index">The index of the match.</param>
    /// <param name="token">The matched token.</param>
    /// <returns><see langword="true"/> if a token was found.</returns>
    public bool TryFindNext(ReadOnlySpan<char> text, int start, out int index, out AddedToken? token)
    {
        if (!IsEmpty)
        {
            int position = start;
            while (position < text.Length)
            {
                int found = text[position..].IndexOfAny(_firstChars);
                if (found < 0)
                {
                    break;
                }

                position += found;
                ReadOnlySpan<char> rest = text[position..];
                foreach (AddedToken candidate in _byFirstChar[text[position]])
                {
                    if (rest.StartsWith(candidate.Content, StringComparison.Ordinal))
                    {
                        index = position;
                        token = candidate;
                        return true;
                    }
                }

                position++;
            }
        }

        index = text.Length;
        token = null;
        return false;
    }
}
