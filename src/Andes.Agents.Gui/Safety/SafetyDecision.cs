namespace Andes.Agents.Gui;

/// <summary>A safety verdict and why.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reason">Why (null for a plain allow).</param>
public sealed record SafetyDecision(SafetyVerdict Verdict, string? Reason)
{
    /// <summary>Allow, no reason needed.</summary>
    public static SafetyDecision Allow { get; } = new(SafetyVerdict.Allow, null);

    /// <summary>Blocks an action.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The decision.</returns>
    public static SafetyDecision Block(string reason) => new(SafetyVerdict.Block, reason);

    /// <summary>Asks for confirmation.</summary>
    /// <param name="reason">Why the action is sensitive.</param>
    /// <returns>The decision.</returns>
    public static SafetyDecision Confirm(string reason) => new(SafetyVerdict.RequireConfirmation, reason);
}
