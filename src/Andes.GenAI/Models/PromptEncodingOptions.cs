namespace Andes.GenAI;

/// <summary>How <see cref="AndesModel.Encode(ChatPrompt, PromptEncodingOptions?)"/> sizes images and checks the token budget.</summary>
public sealed class PromptEncodingOptions
{
    /// <summary>
    /// The image size (the side of the largest area, in pixels) images are scaled down to; null for the model folder's
    /// processor config (AndesVL: 733). Larger keeps more detail at more tokens (the published GUI evaluation uses 1792).
    /// </summary>
    public int? ImageMaxSize { get; set; }

    /// <summary>
    /// When the prompt does not fit the context, scale the images down (all by the same factor, in steps of 10 %)
    /// until it does, instead of failing with <see cref="PromptTooLongException"/>. Default false.
    /// </summary>
    public bool DownscaleImagesToFit { get; set; }

    /// <summary>Tokens that must remain free after the prompt for generation (at least 1). Default 1.</summary>
    public int ReservedTokens { get; set; } = 1;

    /// <summary>Creates a copy.</summary>
    /// <returns>A new instance with the same values.</returns>
    public PromptEncodingOptions Clone() => new() { ImageMaxSize = ImageMaxSize, DownscaleImagesToFit = DownscaleImagesToFit, ReservedTokens = ReservedTokens };
}
