namespace Andes.Agents.Gui;

/// <summary>How an agent run ended.</summary>
public enum GuiAgentStatus
{
    /// <summary>The model said the task is finished.</summary>
    Completed,

    /// <summary>The model handed control back to the user (<c>call_user()</c>).</summary>
    NeedsUser,

    /// <summary>The step limit was reached first.</summary>
    StepLimitReached,

    /// <summary>The kill switch stopped the run.</summary>
    KillSwitchTripped,

    /// <summary>Too many answers in a row were malformed, out of range or blocked.</summary>
    TooManyRejectedAnswers,
}
