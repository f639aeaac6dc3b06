using Microsoft.ML.Tokenizers;

namespace Andes.GenAI;

/// <summary>
/// The pre-tokeniser given to Microsoft.ML.Tokenizers: first splits off added tokens (leftmost-longest, each becomes
/// one piece that the BPE model maps to its id through <c>BpeOptions.SpecialTokens</c>), then splits the text between
/// them with the Qwen2 or GPT-2 pattern over code points. Immutable; safe for concurrent use.
/// </summary>
internal sealed class AddedTokenAwarePreTokenizer : PreTokenizer
{
    private readonly AddedTokenMatcher _addedTokens;
    private readonly ByteLevelSplitPattern _pattern;

    public AddedTokenAwarePreTokenizer(AddedTokenMatcher addedTokens, ByteLevelSplitPattern pattern)
    {
        _addedTokens = addedTokens;
        _pattern = pattern;
    }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
        => string.IsNullOrEmpty(text) ? [] : Split(text.AsSpan());

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
        => text.IsEmpty ? [] : Split(text);

    /// <summary>Splits <paramref name="text"/> into pieces.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pieces, in order, covering the text.</returns>
    public List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>(Math.Max(4, text.Length / 3));
        int position = 0;
        while (position < text.Length)
        {
            _addedTokens.TryFindNext(text, position, out int tokenIndex, out AddedToken? token);
            SplitOrdinary(text[..tokenIndex], position, pieces);
            if (token is null)
            {
                break;
            }

            pieces.Add((tokenIndex, token.Content.Length));
            position = tokenIndex + token.Content.Length;
        }

        return pieces;
    }

    private void SplitOrdinary(ReadOnlySpan<char> text, int start, List<(int Offset, int Length)> pieces)
    {
        int position = start;
        while (position < text.Length)
        {
            int end = ByteLevelPieceSplitter.NextPieceEnd(text, position, _pattern);
            pieces.Add((position, end - position));
            position = end;
        }
    }
}
