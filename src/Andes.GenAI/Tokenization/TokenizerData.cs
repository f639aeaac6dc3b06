namespace Andes.GenAI;

/// <summary>
/// The parsed content of a byte-level BPE tokenizer (from <c>tokenizer.json</c>, or <c>vocab.json</c> +
/// <c>merges.txt</c> + added tokens): what <see cref="AndesTokenizer"/> is built from and what the model builder
/// writes back out.
/// </summary>
internal sealed class TokenizerData
{
    /// <summary>Gets the BPE vocabulary entries (byte-level strings and ids), in file order.</summary>
    public required List<KeyValuePair<string, int>> Vocabulary { get; init; }

    /// <summary>Gets the merges as <c>"left right"</c> strings, in priority order.</summary>
    public required List<string> Merges { get; init; }

    /// <summary>Gets the added tokens.</summary>
    public required List<AddedToken> AddedTokens { get; init; }

    /// <summary>Gets the pre-tokenisation pattern.</summary>
    public ByteLevelSplitPattern SplitPattern { get; init; } = ByteLevelSplitPattern.Qwen2;

    /// <summary>Gets a value indicating whether text between added tokens is NFC-normalised.</summary>
    public bool NormalizeNfc { get; init; } = true;

    /// <summary>Gets a description of where the data came from, used in error messages.</summary>
    public required string Source { get; init; }
}
