using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>A prompt (with the tokens asked for) does not fit the model's context. Raised before any compute.</summary>
public sealed class PromptTooLongException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="promptTokens">Tokens in the prompt.</param>
    /// <param name="contextLength">The model's context length.</param>
    public PromptTooLongException(int promptTokens, int contextLength)
        : this(promptTokens, contextLength, [])
    {
    }

    /// <summary>Creates the exception for a prompt with images, naming each image and its token count.</summary>
    /// <param name="promptTokens">Tokens in the prompt.</param>
    /// <param name="contextLength">The model's context length.</param>
    /// <param name="images">The prompt's images.</param>
    public PromptTooLongException(int promptTokens, int contextLength, IReadOnlyList<PromptImage> images)
        : base(Describe(promptTokens, contextLength, images))
    {
        PromptTokens = promptTokens;
        ContextLength = contextLength;
        Images = images ?? [];
    }

    /// <summary>Tokens in the prompt.</summary>
    public int PromptTokens { get; }

    /// <summary>The model's context length.</summary>
    public int ContextLength { get; }

    /// <summary>The prompt's images with their token counts (empty for text only).</summary>
    public IReadOnlyList<PromptImage> Images { get; }

    private static string Describe(int promptTokens, int contextLength, IReadOnlyList<PromptImage>? images)
    {
        string text = $"The prompt has {promptTokens} tokens; the model's context holds {contextLength} (prompt and generated tokens together).";
        if (images is not { Count: > 0 })
        {
            return text;
        }

        int imageTokens = images.Sum(i => i.TokenCount + 2);
        return $"{text} {imageTokens} of them are for {images.Count} image(s): {string.Join("; ", images)}. "
            + "Use smaller images (PromptEncodingOptions.ImageMaxSize, AndesChatClientOptions.ImageMaxSize) or allow down-scaling (DownscaleImagesToFit).";
    }
}
