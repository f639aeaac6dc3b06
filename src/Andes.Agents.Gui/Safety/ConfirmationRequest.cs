using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>A sensitive action waiting for the user's yes or no.</summary>
/// <param name="Action">The action.</param>
/// <param name="Reason">Why it needs confirmation.</param>
/// <param name="Context">What it is aimed at.</param>
public sealed record ConfirmationRequest(GuiAction Action, string Reason, SafetyContext Context);
