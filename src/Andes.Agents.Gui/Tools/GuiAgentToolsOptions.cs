using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Settings of <see cref="GuiAgentTools"/>.</summary>
public sealed class GuiAgentToolsOptions
{
    /// <summary>The desktop area the tools see and act in; null for the primary monitor.</summary>
    public ScreenRectangle? CaptureRegion { get; set; }

    /// <summary>Grounding settings. The default asks for the <c>gui</c> LoRA skill (<see cref="GuiSkill.DefaultName"/>).</summary>
    public GroundingOptions Grounding { get; set; } = new() { SkillName = GuiSkill.DefaultName };

    /// <summary>The safety policy; null for a default <see cref="SafetyPolicy"/> limited to the capture region.</summary>
    public ISafetyPolicy? SafetyPolicy { get; set; }

    /// <summary>Asked before sensitive actions; null declines them.</summary>
    public ConfirmationCallback? Confirm { get; set; }

    /// <summary>The kill switch; null for none.</summary>
    public KillSwitch? KillSwitch { get; set; }

    /// <summary>Settings for <c>run_task</c>; null for defaults (its region, policy, confirmation, kill switch and skill follow this object's).</summary>
    public GuiAgentOptions? AgentOptions { get; set; }

    /// <summary>Where <c>screenshot</c> saves PNG files; null to keep them in memory only.</summary>
    public string? ScreenshotDirectory { get; set; }
}
