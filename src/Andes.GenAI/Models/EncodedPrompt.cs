namespace Andes.GenAI;

/// <summary>
/// A prompt as the model reads it: token ids, with each image expanded to <c>&lt;img&gt;</c>, one
/// <c>&lt;|vision_pad|&gt;</c> per image token and <c>&lt;/img&gt;</c>, and the images behind the placeholders. Made by
/// <see cref="AndesModel.Encode(ChatPrompt, PromptEncodingOptions?)"/>, run by
/// <see cref="Generator.AppendPrompt"/>. Immutable and thread-safe.
/// </summary>
public sealed class EncodedPrompt
{
    private readonly int[] _ids;

    internal EncodedPrompt(int[] ids, int[] cacheKey, PromptImage[] images)
    {
        _ids = ids;
        CacheKey = cacheKey;
        Images = images;
        ImageTokenCount = images.Sum(i => i.TokenCount);
    }

    /// <summary>The token ids.</summary>
    public ReadOnlyMemory<int> Ids => _ids;

    /// <summary>The number of tokens.</summary>
    public int Length => _ids.Length;

    /// <summary>The images, in prompt order.</summary>
    public IReadOnlyList<PromptImage> Images { get; }

    /// <summary>The placeholder tokens of all images.</summary>
    public int ImageTokenCount { get; }

    /// <summary>
    /// The ids with each image placeholder replaced by a negative value derived from the image's content hash, so that
    /// key/value cache reuse compares image content, not just placeholder counts.
    /// </summary>
    internal int[] CacheKey { get; }

    internal int[] IdArray => _ids;
}
