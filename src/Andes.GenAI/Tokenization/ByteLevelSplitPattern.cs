namespace Andes.GenAI;

/// <summary>
/// The pre-tokenisation regular expression that splits text into pieces before byte-level BPE. Both are implemented
/// over Unicode code points (so letters and digits outside the Basic Multilingual Plane count as letters and digits),
/// matching Hugging Face <c>tokenizers</c>.
/// </summary>
public enum ByteLevelSplitPattern
{
    /// <summary>
    /// Qwen2/Qwen3/AndesVL: <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
    /// (digits are split one by one).
    /// </summary>
    Qwen2,

    /// <summary>GPT-2: <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.</summary>
    Gpt2,
}
