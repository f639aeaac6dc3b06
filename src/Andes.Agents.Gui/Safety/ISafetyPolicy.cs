using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Decides, before execution, whether an action may run, needs the user's confirmation, or is blocked.</summary>
public interface ISafetyPolicy
{
    /// <summary>Evaluates an action.</summary>
    /// <param name="action">The action (desktop coordinates).</param>
    /// <param name="context">What the action is aimed at.</param>
    /// <returns>The decision.</returns>
    SafetyDecision Evaluate(GuiAction action, SafetyContext context);
}
