namespace Andes.Agents.Gui;

/// <summary>
/// An emergency stop for GUI automation. Any thread may <see cref="Trip"/> it; executors check it before every single
/// input event, and the agent loop before every step, so at most the event in flight completes. Releases of buttons
/// and keys that are already held are still sent after a trip, so nothing stays stuck down.
/// </summary>
/// <remarks>
/// <para>Thread-safe. <see cref="Token"/> is cancelled on a trip (waits end at once).</para>
/// <para>Binding it to a global hotkey (e.g. a low-level keyboard hook on Windows, <c>XGrabKey</c> on X11) is platform
/// work not done yet: for now the host application trips it (a UI button, a signal handler, a watchdog).</para>
/// </remarks>
public sealed class KillSwitch : IDisposable
{
    private readonly object _gate = new();
    private CancellationTokenSource _source = new();
    private string? _reason;
    private DateTimeOffset? _trippedAt;

    /// <summary>Raised (on the tripping thread) when the switch trips.</summary>
    public event EventHandler? Tripped;

    /// <summary>Whether the switch has tripped (and not been reset).</summary>
    public bool IsTripped
    {
        get
        {
            lock (_gate)
            {
                return _trippedAt is not null;
            }
        }
    }

    /// <summary>Why it tripped, or null.</summary>
    public string? Reason
    {
        get
        {
            lock (_gate)
            {
                return _reason;
            }
        }
    }

    /// <summary>When it tripped, or null.</summary>
    public DateTimeOffset? TrippedAt
    {
        get
        {
            lock (_gate)
            {
                return _trippedAt;
            }
        }
    }

    /// <summary>A token cancelled when the switch trips (a fresh one after <see cref="Reset"/>).</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _source.Token;
            }
        }
    }

    /// <summary>Trips the switch; later trips keep the first reason.</summary>
    /// <param name="reason">Why (shown in errors and trajectories).</param>
    public void Trip(string reason = "The kill switch was tripped.")
    {
        CancellationTokenSource source;
        lock (_gate)
        {
            if (_trippedAt is not null)
            {
                return;
            }

            _trippedAt = DateTimeOffset.UtcNow;
            _reason = reason;
            source = _source;
        }

        source.Cancel();
        Tripped?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Re-arms the switch after a trip.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_trippedAt is null)
            {
                return;
            }

            _source.Dispose();
            _source = new CancellationTokenSource();
            _trippedAt = null;
            _reason = null;
        }
    }

    /// <summary>Throws when tripped.</summary>
    /// <exception cref="KillSwitchTrippedException">The switch has tripped.</exception>
    public void ThrowIfTripped()
    {
        lock (_gate)
        {
            if (_trippedAt is not null)
            {
                throw new KillSwitchTrippedException(_reason ?? "The kill switch was tripped.");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _source.Dispose();
        }
    }
}
