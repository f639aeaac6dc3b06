using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Grounding;

/// <summary>Settings of <see cref="ScreenGrounder"/>: the model's coordinate conventions and how to call it.</summary>
/// <remarks>Plain options class; <see cref="Clone"/> copies it.</remarks>
public sealed class GroundingOptions
{
    /// <summary>How the model writes coordinates (default: AndesVL, 0-1000 over the processed image).</summary>
    public ModelCoordinateSystem Coordinates { get; set; } = ModelCoordinateSystem.AndesVL;

    /// <summary>The engine's image sizing (must match the engine's processor settings).</summary>
    public ImageSizingOptions Sizing { get; set; } = ImageSizingOptions.AndesVL;

    /// <summary>The LoRA skill to ask for (see <see cref="GuiSkill"/>); null for none.</summary>
    public string? SkillName { get; set; }

    /// <summary>Chat options to start from (cloned per request); null for greedy decoding with 64 output tokens.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>A last hook to adjust the per-request chat options.</summary>
    public Action<ChatOptions>? ConfigureChatOptions { get; set; }

    /// <summary>Whether to send AndesVL's grounding system prompt (true, as in its evaluation).</summary>
    public bool IncludeSystemPrompt { get; set; } = true;

    /// <summary>PNG settings for screenshots sent to the model.</summary>
    public Imaging.PngEncoderOptions Png { get; set; } = Imaging.PngEncoderOptions.Default;

    /// <summary>A shallow copy (the option values themselves are immutable or delegates).</summary>
    /// <returns>The copy.</returns>
    public GroundingOptions Clone() => (GroundingOptions)MemberwiseClone();

    /// <summary>The chat options for one request: <see cref="ChatOptions"/> cloned (or the defaults), the skill set, then the hook.</summary>
    /// <returns>New chat options.</returns>
    public ChatOptions CreateChatOptions()
    {
        ChatOptions options = ChatOptions?.Clone() ?? new ChatOptions { Temperature = 0, MaxOutputTokens = 64 };
        if (SkillName is { Length: > 0 } skill)
        {
            options.WithSkill(skill);
        }

        ConfigureChatOptions?.Invoke(options);
        return options;
    }
}
