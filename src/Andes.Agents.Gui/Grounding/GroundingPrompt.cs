using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// AndesVL's grounding and referring prompts, word for word as the model was evaluated with (model spec, section 5),
/// and the chat messages that carry them with a screenshot.
/// </summary>
public static class GroundingPrompt
{
    /// <summary>The system prompt of AndesVL's grounding evaluation.</summary>
    public const string SystemPrompt =
        "You are a GUI agent. You are given a task and a screenshot of the screen. You need to locate and generate the bounding box coordinate of the target area that corresponds to the command.";

    /// <summary>The user prompt before the instruction.</summary>
    public const string UserPromptPrefix =
        "Please locate and generate the bounding box coordinate of the target area or component corresponds to the following instruction: <|object_ref_start|>";

    /// <summary>The user prompt after the instruction.</summary>
    public const string UserPromptSuffix = "<|object_ref_end|>";

    /// <summary>The referring prompt (box to name) before the box.</summary>
    public const string ReferringPromptPrefix = "请给出坐标为";

    /// <summary>The referring prompt after the box.</summary>
    public const string ReferringPromptSuffix = "的控件名称。";

    /// <summary>The user text for an instruction.</summary>
    /// <param name="instruction">What to locate, e.g. "the Save button".</param>
    /// <returns>The grounding request.</returns>
    public static string FormatInstruction(string instruction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        return UserPromptPrefix + instruction + UserPromptSuffix;
    }

    /// <summary>The user text of a referring request for a box.</summary>
    /// <param name="box">The box in model coordinates (written as integers).</param>
    /// <returns>The referring request.</returns>
    public static string FormatReferring(ModelBox box)
        => ReferringPromptPrefix + GroundingAnswerWriter.WriteBox(box) + ReferringPromptSuffix;

    /// <summary>
    /// The grounding conversation: the system prompt, then one user message holding the image followed by the
    /// instruction text (separated by a newline).
    /// </summary>
    /// <param name="instruction">What to locate.</param>
    /// <param name="image">The screenshot (e.g. PNG bytes, media type <c>image/png</c>).</param>
    /// <param name="includeSystemPrompt">Whether to include the system prompt (true as in the evaluation).</param>
    /// <returns>The messages.</returns>
    public static List<ChatMessage> CreateMessages(string instruction, DataContent image, bool includeSystemPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        var messages = new List<ChatMessage>(2);
        if (includeSystemPrompt)
        {
            messages.Add(new ChatMessage(ChatRole.System, SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, [image, new TextContent("\n" + FormatInstruction(instruction))]));
        return messages;
    }
}
