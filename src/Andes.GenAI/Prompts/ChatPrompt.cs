using System.Text;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// A rendered conversation: text segments and image slots, in prompt order, produced by an
/// <see cref="IChatTemplate"/>.
/// </summary>
/// <remarks>
/// <para>
/// The engine tokenises each text segment (recognising the tokenizer's added tokens such as
/// <c>&lt;|im_start|&gt;</c>, <c>&lt;think&gt;</c> and <c>&lt;tool_call&gt;</c>) and replaces each image slot, in
/// order, with the model's image tokens (AndesVL: <c>&lt;img&gt;</c>, N x <c>&lt;|vision_pad|&gt;</c>,
/// <c>&lt;/img&gt;</c>, N from the image's size). Text segments and image slots alternate: adjacent text is merged
/// and no text segment is empty.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ChatPrompt
{
    /// <summary>The text <see cref="ToString()"/> shows for each image slot.</summary>
    public const string DefaultImagePlaceholder = "<image>";

    private readonly ChatPromptSegment[] _segments;

    /// <summary>Initializes a new instance of the <see cref="ChatPrompt"/> class.</summary>
    /// <param name="segments">The segments, in prompt order; adjacent text segments are merged.</param>
    /// <param name="endsInReasoning">
    /// Whether the prompt leaves the model inside a reasoning block (the generation prompt ends with an open
    /// <c>&lt;think&gt;</c>), so the output parser must start in reasoning mode.
    /// </param>
    public ChatPrompt(IEnumerable<ChatPromptSegment> segments, bool endsInReasoning = false)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var list = new List<ChatPromptSegment>();
        StringBuilder? pending = null;
        foreach (ChatPromptSegment segment in segments)
        {
            ArgumentNullException.ThrowIfNull(segment, nameof(segments));
            if (segment.Text is { } text)
            {
                (pending ??= new StringBuilder()).Append(text);
                continue;
            }

            if (pending is { Length: > 0 })
            {
                list.Add(ChatPromptSegment.FromText(pending.ToString()));
                pending.Clear();
            }

            list.Add(segment);
        }

        if (pending is { Length: > 0 })
        {
            list.Add(ChatPromptSegment.FromText(pending.ToString()));
        }

        _segments = [.. list];
        EndsInReasoning = endsInReasoning;
        ImageCount = _segments.Count(s => s.IsImage);
    }

    /// <summary>Gets the segments in prompt order.</summary>
    public IReadOnlyList<ChatPromptSegment> Segments => _segments;

    /// <summary>Gets the number of image slots.</summary>
    public int ImageCount { get; }

    /// <summary>Gets the images of the image slots, in prompt order.</summary>
    public IEnumerable<AIContent> Images => _segments.Where(s => s.IsImage).Select(s => s.Image!);

    /// <summary>
    /// Gets a value indicating whether the prompt ends inside an open reasoning block, so generated text starts as
    /// reasoning (see <see cref="AndesOutputParserOptions.StartsInReasoning"/>).
    /// </summary>
    public bool EndsInReasoning { get; }

    /// <summary>Returns the prompt text with each image slot replaced by <paramref name="imagePlaceholder"/>.</summary>
    /// <param name="imagePlaceholder">The text to show for each image slot.</param>
    /// <returns>The prompt text.</returns>
    public string ToString(string imagePlaceholder)
    {
        ArgumentNullException.ThrowIfNull(imagePlaceholder);
        var builder = new StringBuilder();
        foreach (ChatPromptSegment segment in _segments)
        {
            builder.Append(segment.Text ?? imagePlaceholder);
        }

        return builder.ToString();
    }

    /// <summary>Returns the prompt text with each image slot shown as <see cref="DefaultImagePlaceholder"/>.</summary>
    /// <returns>The prompt text.</returns>
    public override string ToString() => ToString(DefaultImagePlaceholder);
}
