namespace Andes.Agents.Gui;

/// <summary>Asks the user to confirm a sensitive action; true executes it, false blocks it.</summary>
/// <param name="request">The action and why it is sensitive.</param>
/// <param name="cancellationToken">Cancels the question.</param>
/// <returns>Whether the user confirmed.</returns>
public delegate ValueTask<bool> ConfirmationCallback(ConfirmationRequest request, CancellationToken cancellationToken);
