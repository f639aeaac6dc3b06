using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>Settings of <see cref="ScreenGrounder"/>: the model's coordinate conventions and how to call it.</summary>
/// <remarks>Plain options class; <see cref="Clone"/> copies it.</remarks>
public sealed class GroundingOptions
{
    /// <summary>How the model writes coordinates (default: AndesVL, 0-1000 over the source image).</summary>
    public ModelCoordinateSystem Coordinates { get; set; } = ModelCoordinateSystem.AndesVL;

    /// <summary>
    /// The engine's image sizing (default: the engine's, <c>max_size</c> 733). Its <see cref="ImageSizingOptions.MaxSize"/>
    /// is sent with every request (<see cref="AndesChatOptionKeys.ImageMaxSize"/>) so the engine sizes images the
    /// same way; the geometry only matters for <see cref="ModelCoordinateFrame.ProcessedImage"/> coordinates.
    /// </summary>
    public ImageSizingOptions Sizing { get; set; } = ImageSizingOptions.AndesVL;

    /// <summary>The LoRA skill to ask for (see <see cref="GuiSkill"/>); null for none.</summary>
    public string? SkillName { get; set; }

    /// <summary>Chat options to start from (cloned per request); null for greedy decoding with 64 output tokens.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>A last hook to adjust the per-request chat options.</summary>
    public Action<ChatOptions>? ConfigureChatOptions { get; set; }

    /// <summary>Whether to send AndesVL's grounding system prompt (true, as in its evaluation).</summary>
    public bool IncludeSystemPrompt { get; set; } = true;

    /// <summary>How screen frames are sent: raw pixels to the Andes engine, PNG to other clients (<see cref="ImageTransport.Auto"/>, the default).</summary>
    public ImageTransport Transport { get; set; } = ImageTransport.Auto;

    /// <summary>PNG settings for screenshots sent to the model.</summary>
    public PngEncoderOptions Png { get; set; } = PngEncoderOptions.Default;

    /// <summary>A shallow copy (the option values themselves are immutable or delegates).</summary>
    /// <returns>The copy.</returns>
    public GroundingOptions Clone() => (GroundingOptions)MemberwiseClone();

    /// <summary>
    /// The chat options for one request: <see cref="ChatOptions"/> cloned (or the defaults), the skill set, the hook, then
    /// the image size (<see cref="ImageSizingOptions.ApplyTo"/>; last, so the engine always sizes images as the mapping assumes).
    /// </summary>
    /// <returns>New chat options.</returns>
    public ChatOptions CreateChatOptions()
    {
        ChatOptions options = ChatOptions?.Clone() ?? new ChatOptions { Temperature = 0, MaxOutputTokens = 64 };
        if (SkillName is { Length: > 0 } skill)
        {
            options.WithSkill(skill);
        }

        ConfigureChatOptions?.Invoke(options);
        return Sizing.ApplyTo(options);
    }
}
