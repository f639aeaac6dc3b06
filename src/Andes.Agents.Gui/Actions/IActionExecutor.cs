namespace Andes.Agents.Gui;

/// <summary>Carries out <see cref="GuiAction"/>s (desktop coordinates): real input, or a dry run.</summary>
public interface IActionExecutor
{
    /// <summary>Whether this executor sends real input to the desktop (false for a dry run).</summary>
    bool SendsInput { get; }

    /// <summary>Executes one action.</summary>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels between input events.</param>
    /// <returns>A task that completes when the action is done.</returns>
    /// <exception cref="KillSwitchTrippedException">The kill switch tripped before or during the action.</exception>
    /// <exception cref="InputInjectionException">The platform refused an input event.</exception>
    Task ExecuteAsync(GuiAction action, CancellationToken cancellationToken = default);
}
