using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>Settings of <see cref="GuiAgent"/>.</summary>
public sealed class GuiAgentOptions
{
    /// <summary>Model calls per run at most (15).</summary>
    public int MaxSteps { get; set; } = 15;

    /// <summary>Rejected or blocked answers in a row before giving up (3).</summary>
    public int MaxConsecutiveRejections { get; set; } = 3;

    /// <summary>How the model writes coordinates (AndesVL: 0-1000 over the source image).</summary>
    public ModelCoordinateSystem Coordinates { get; set; } = ModelCoordinateSystem.AndesVL;

    /// <summary>The engine's image sizing (default: the engine's, <c>max_size</c> 733); its max size is sent with every request.</summary>
    public ImageSizingOptions Sizing { get; set; } = ImageSizingOptions.AndesVL;

    /// <summary>The desktop area to screenshot each step; null for the primary monitor.</summary>
    public ScreenRectangle? CaptureRegion { get; set; }

    /// <summary>The safety policy; null for a default <see cref="SafetyPolicy"/> (allowed region = the capture region).</summary>
    public ISafetyPolicy? SafetyPolicy { get; set; }

    /// <summary>Asked before sensitive actions; null means sensitive actions are declined.</summary>
    public ConfirmationCallback? Confirm { get; set; }

    /// <summary>The kill switch checked before every step and input event; null for none.</summary>
    public KillSwitch? KillSwitch { get; set; }

    /// <summary>Where to record the trajectory; null for no recording.</summary>
    public TrajectoryRecorder? Recorder { get; set; }

    /// <summary>Earlier answers sent back to the model each step (5).</summary>
    public int HistorySteps { get; set; } = 5;

    /// <summary>Pause after an executed action before the next screenshot (300 ms).</summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long <c>wait()</c> waits (2 s).</summary>
    public TimeSpan DefaultWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The system prompt; null for <see cref="GuiAgentPrompt.CreateSystemPrompt"/> at the model's scale.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>The LoRA skill to ask for (see <see cref="GuiSkill"/>); null for none.</summary>
    public string? SkillName { get; set; }

    /// <summary>Chat options to start from (cloned per request; the image size is set on the clone); null for greedy decoding with 256 output tokens.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>How screenshots are sent: raw pixels to the Andes engine, PNG to other clients (<see cref="ImageTransport.Auto"/>, the default).</summary>
    public ImageTransport Transport { get; set; } = ImageTransport.Auto;

    /// <summary>PNG settings for screenshots sent to the model.</summary>
    public PngEncoderOptions Png { get; set; } = PngEncoderOptions.Default;

    /// <summary>A shallow copy.</summary>
    /// <returns>The copy.</returns>
    public GuiAgentOptions Clone() => (GuiAgentOptions)MemberwiseClone();
}
