namespace Andes.GenAI;

/// <summary>
/// Options for <see cref="AndesTokenizer.Create(string, string, AndesTokenizerOptions?)"/>, which builds a tokenizer
/// from GPT-2-style <c>vocab.json</c> + <c>merges.txt</c> files (as carried by a Hugging Face AndesVL checkpoint).
/// The defaults describe AndesVL/Qwen: the Qwen2 split pattern and NFC normalisation.
/// </summary>
public sealed class AndesTokenizerOptions
{
    /// <summary>Gets or sets the added tokens (ids usually follow the vocabulary). Default: none.</summary>
    public IList<AddedToken> AddedTokens { get; set; } = [];

    /// <summary>Gets or sets the pre-tokenisation pattern. Default: <see cref="ByteLevelSplitPattern.Qwen2"/>.</summary>
    public ByteLevelSplitPattern SplitPattern { get; set; } = ByteLevelSplitPattern.Qwen2;

    /// <summary>
    /// Gets or sets a value indicating whether text between added tokens is NFC-normalised before pre-tokenisation
    /// (Qwen's <c>"normalizer": {"type": "NFC"}</c>). Default: <see langword="true"/>; GPT-2 uses <see langword="false"/>.
    /// </summary>
    public bool NormalizeNfc { get; set; } = true;

    /// <summary>
    /// Reads the added tokens of a Hugging Face <c>tokenizer_config.json</c> (its <c>added_tokens_decoder</c>), the
    /// file that carries them in a checkpoint without <c>tokenizer.json</c>, into options with the AndesVL/Qwen defaults.
    /// </summary>
    /// <param name="tokenizerConfigPath">The path of <c>tokenizer_config.json</c>.</param>
    /// <returns>The options; no added tokens if the file has no <c>added_tokens_decoder</c>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed (the message starts with its path and names the field).</exception>
    public static AndesTokenizerOptions FromTokenizerConfig(string tokenizerConfigPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerConfigPath);
        return new AndesTokenizerOptions
        {
            AddedTokens = TokenizerFileReader.ReadAddedTokensDecoder(File.ReadAllBytes(tokenizerConfigPath), tokenizerConfigPath),
        };
    }

    /// <summary>Creates a copy of these options (the added-token list is copied, the tokens are shared).</summary>
    /// <returns>The copy.</returns>
    public AndesTokenizerOptions Clone() => new()
    {
        AddedTokens = [.. AddedTokens],
        SplitPattern = SplitPattern,
        NormalizeNfc = NormalizeNfc,
    };
}
