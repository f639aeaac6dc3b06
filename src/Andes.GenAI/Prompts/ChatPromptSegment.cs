using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// One piece of a rendered <see cref="ChatPrompt"/>: either prompt text (to be tokenised with special tokens such as
/// <c>&lt;|im_start|&gt;</c> recognised) or an image slot (to be expanded by the engine into the model's image
/// tokens, for AndesVL <c>&lt;img&gt;</c> + N x <c>&lt;|vision_pad|&gt;</c> + <c>&lt;/img&gt;</c>).
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class ChatPromptSegment
{
    private ChatPromptSegment(string? text, AIContent? image)
    {
        Text = text;
        Image = image;
    }

    /// <summary>Gets the prompt text, or <see langword="null"/> for an image slot.</summary>
    public string? Text { get; }

    /// <summary>
    /// Gets the image of an image slot (a <see cref="DataContent"/> or <see cref="UriContent"/> with an
    /// <c>image/*</c> media type), or <see langword="null"/> for a text segment.
    /// </summary>
    public AIContent? Image { get; }

    /// <summary>Gets a value indicating whether this segment is an image slot.</summary>
    public bool IsImage => Image is not null;

    /// <summary>Creates a text segment.</summary>
    /// <param name="text">The prompt text; must not be empty.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is null or empty.</exception>
    public static ChatPromptSegment FromText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new ChatPromptSegment(text, null);
    }

    /// <summary>Creates an image slot.</summary>
    /// <param name="image">A <see cref="DataContent"/> or <see cref="UriContent"/> whose media type is <c>image/*</c>.</param>
    /// <returns>The segment.</returns>
    /// <exception cref="ArgumentException"><paramref name="image"/> is not an image content.</exception>
    public static ChatPromptSegment FromImage(AIContent image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!IsImageContent(image))
        {
            throw new ArgumentException(
                $"An image slot needs a DataContent or UriContent with an image/* media type, not {Describe(image)}.", nameof(image));
        }

        return new ChatPromptSegment(null, image);
    }

    /// <summary>Returns whether <paramref name="content"/> is an image the template renders as an image slot.</summary>
    internal static bool IsImageContent(AIContent content) => content switch
    {
        DataContent data => data.HasTopLevelMediaType("image"),
        UriContent uri => uri.HasTopLevelMediaType("image"),
        _ => false,
    };

    internal static string Describe(AIContent content) => content switch
    {
        DataContent data => $"a DataContent with media type '{data.MediaType}'",
        UriContent uri => $"a UriContent with media type '{uri.MediaType}'",
        _ => $"a {content.GetType().Name}",
    };

    /// <inheritdoc />
    public override string ToString() => Text ?? ChatPrompt.DefaultImagePlaceholder;
}
