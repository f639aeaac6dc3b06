using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Records actions and sends nothing to the desktop: for previews, tests and trajectory replays. Waits are skipped
/// unless <see cref="HonourWaits"/> is set.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class DryRunExecutor : IActionExecutor
{
    private readonly List<GuiAction> _actions = [];
    private readonly KillSwitch? _killSwitch;
    private readonly Action<GuiAction>? _log;

    /// <summary>Creates a dry-run executor.</summary>
    /// <param name="killSwitch">A kill switch to honour like a real executor would; null for none.</param>
    /// <param name="log">Called with each action (e.g. to print it); null for none.</param>
    public DryRunExecutor(KillSwitch? killSwitch = null, Action<GuiAction>? log = null)
    {
        _killSwitch = killSwitch;
        _log = log;
    }

    /// <inheritdoc />
    public bool SendsInput => false;

    /// <summary>Whether <see cref="WaitAction"/>s actually wait (false by default).</summary>
    public bool HonourWaits { get; init; }

    /// <summary>The actions received, in order.</summary>
    public IReadOnlyList<GuiAction> Actions
    {
        get
        {
            lock (_actions)
            {
                return [.. _actions];
            }
        }
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(GuiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        _killSwitch?.ThrowIfTripped();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_actions)
        {
            _actions.Add(action);
        }

        _log?.Invoke(action);
        if (HonourWaits && action is WaitAction wait)
        {
            await Task.Delay(wait.Duration, cancellationToken).ConfigureAwait(false);
        }
    }
}
