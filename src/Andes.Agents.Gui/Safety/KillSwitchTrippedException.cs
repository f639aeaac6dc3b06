namespace Andes.Agents.Gui;

/// <summary>Input was stopped because the <see cref="KillSwitch"/> tripped.</summary>
public sealed class KillSwitchTrippedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the switch tripped.</param>
    public KillSwitchTrippedException(string reason)
        : base($"Stopped by the kill switch: {reason}")
    {
        Reason = reason;
    }

    /// <summary>Why the switch tripped.</summary>
    public string Reason { get; }
}
