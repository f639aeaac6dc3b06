namespace Andes.Agents.Gui;

/// <summary>What happened to one step's action.</summary>
public enum StepOutcome
{
    /// <summary>The action was executed (or recorded by a dry run).</summary>
    Executed,

    /// <summary>The model's answer was malformed or its coordinates out of range: nothing was executed.</summary>
    Rejected,

    /// <summary>The safety policy blocked the action.</summary>
    Blocked,

    /// <summary>The action needed confirmation and the user declined (or nobody could be asked).</summary>
    Declined,

    /// <summary>The kill switch stopped the action.</summary>
    Stopped,

    /// <summary>The executor failed (e.g. the platform refused an input event).</summary>
    Failed,
}
