namespace Andes.GenAI;

/// <summary>
/// A token added on top of the byte-level BPE vocabulary (Hugging Face <c>added_tokens</c>), such as
/// <c>&lt;|im_end|&gt;</c> or <c>&lt;think&gt;</c>. Added tokens are matched verbatim in the input text before
/// normalisation and pre-tokenisation, and decode to their <see cref="Content"/>.
/// </summary>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed class AddedToken
{
    /// <summary>Creates an added token.</summary>
    /// <param name="id">The token id.</param>
    /// <param name="content">The exact text of the token; must not be empty.</param>
    /// <param name="special">
    /// Whether the token is special: special tokens are removed by <c>skipSpecialTokens</c> decoding,
    /// non-special added tokens (e.g. <c>&lt;think&gt;</c>, <c>&lt;tool_call&gt;</c>) are kept.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="content"/> is null or empty.</exception>
    public AddedToken(int id, string content, bool special)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentException.ThrowIfNullOrEmpty(content);
        Id = id;
        Content = content;
        Special = special;
    }

    /// <summary>Gets the token id.</summary>
    public int Id { get; }

    /// <summary>Gets the exact text of the token.</summary>
    public string Content { get; }

    /// <summary>Gets a value indicating whether the token is special (skipped by <c>skipSpecialTokens</c> decoding).</summary>
    public bool Special { get; }

    /// <summary>
    /// Gets a value indicating whether the token is matched in normalised text (Hugging Face <c>normalized</c>).
    /// Carried through to <c>tokenizer.json</c>; matching is done on the input text either way.
    /// </summary>
    public bool Normalized { get; init; }

    /// <summary>Gets a value indicating whether the token absorbs whitespace on its left (Hugging Face <c>lstrip</c>); only <see langword="false"/> is supported by <see cref="AndesTokenizer"/>.</summary>
    public bool LStrip { get; init; }

    /// <summary>Gets a value indicating whether the token absorbs whitespace on its right (Hugging Face <c>rstrip</c>); only <see langword="false"/> is supported by <see cref="AndesTokenizer"/>.</summary>
    public bool RStrip { get; init; }

    /// <summary>Gets a value indicating whether the token only matches whole words (Hugging Face <c>single_word</c>); only <see langword="false"/> is supported by <see cref="AndesTokenizer"/>.</summary>
    public bool SingleWord { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Content}{(Special ? " (special)" : string.Empty)}";
}
