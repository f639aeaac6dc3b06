namespace Andes.Agents.Gui;

/// <summary>Ends the task: finished (with the model's summary) or handed back to the user.</summary>
/// <param name="Message">The model's final message, if any.</param>
/// <param name="NeedsUser">True when the model asked for the user's help (UI-TARS <c>call_user()</c>) rather than finishing.</param>
public sealed record DoneAction(string? Message = null, bool NeedsUser = false) : GuiAction
{
    /// <inheritdoc />
    public override string Describe() => NeedsUser ? "call user" : $"done{(Message is { Length: > 0 } m ? ": " + m : string.Empty)}";
}
