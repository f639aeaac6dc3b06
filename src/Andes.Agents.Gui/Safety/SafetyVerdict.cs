namespace Andes.Agents.Gui;

/// <summary>What the safety policy decided about an action.</summary>
public enum SafetyVerdict
{
    /// <summary>Execute it.</summary>
    Allow,

    /// <summary>Execute it only if the confirmation callback says yes.</summary>
    RequireConfirmation,

    /// <summary>Never execute it.</summary>
    Block,
}
