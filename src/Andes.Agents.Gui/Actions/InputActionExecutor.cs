using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Executes actions as sequences of single input events on an <see cref="IInputDevice"/> (X11, Windows), checking
/// cancellation and the <see cref="KillSwitch"/> before every event. Buttons and keys it pressed are always released,
/// even after a trip or cancellation, so nothing stays held down.
/// </summary>
/// <remarks>Actions are serialised: concurrent calls run one after another. The executor owns the device when asked to.</remarks>
public sealed class InputActionExecutor : IActionExecutor, IDisposable
{
    private readonly IInputDevice _device;
    private readonly bool _ownsDevice;
    private readonly KillSwitch? _killSwitch;
    private readonly InputTimingOptions _timing;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates an executor.</summary>
    /// <param name="device">The platform input device.</param>
    /// <param name="killSwitch">The kill switch to honour; null for none.</param>
    /// <param name="timing">Pauses between events; null for <see cref="InputTimingOptions.Default"/>.</param>
    /// <param name="ownsDevice">Whether <see cref="Dispose"/> disposes the device.</param>
    public InputActionExecutor(IInputDevice device, KillSwitch? killSwitch = null, InputTimingOptions? timing = null, bool ownsDevice = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        _ownsDevice = ownsDevice;
        _killSwitch = killSwitch;
        _timing = timing ?? InputTimingOptions.Default;
    }

    /// <inheritdoc />
    public bool SendsInput => true;

    /// <summary>The number of input events sent so far.</summary>
    public long EventCount { get; private set; }

    /// <inheritdoc />
    public async Task ExecuteAsync(GuiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        Check(cancellationToken);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(action, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Dispose();
        if (_ownsDevice)
        {
            _device.Dispose();
        }
    }

    private async Task RunAsync(GuiAction action, CancellationToken ct)
    {
        switch (action)
        {
            case ClickAction click:
                await MoveAsync(click.Position, ct).ConfigureAwait(false);
                await ClickAsync(MouseButton.Left, ct).ConfigureAwait(false);
                break;
            case DoubleClickAction doubleClick:
                await MoveAsync(doubleClick.Position, ct).ConfigureAwait(false);
                await ClickAsync(MouseButton.Left, ct).ConfigureAwait(false);
                await DelayAsync(_timing.DoubleClickInterval, ct).ConfigureAwait(false);
                await ClickAsync(MouseButton.Left, ct).ConfigureAwait(false);
                break;
            case RightClickAction rightClick:
                await MoveAsync(rightClick.Position, ct).ConfigureAwait(false);
                await ClickAsync(MouseButton.Right, ct).ConfigureAwait(false);
                break;
            case MoveAction move:
                await MoveAsync(move.Position, ct).ConfigureAwait(false);
                break;
            case DragAction drag:
                await DragAsync(drag, ct).ConfigureAwait(false);
                break;
            case TypeTextAction type:
                foreach (Rune rune in type.Text.EnumerateRunes())
                {
                    Emit(() => _device.TypeCharacter(rune), ct);
                    await DelayAsync(_timing.KeystrokeDelay, ct).ConfigureAwait(false);
                }

                break;
            case HotkeyAction hotkey:
                await HotkeyAsync(hotkey.Keys, ct).ConfigureAwait(false);
                break;
            case ScrollAction scroll:
                if (scroll.Position is { } at)
                {
                    await MoveAsync(at, ct).ConfigureAwait(false);
                }

                for (int i = 0; i < scroll.Amount; i++)
                {
                    Emit(() => _device.ScrollNotch(scroll.Direction), ct);
                    await DelayAsync(_timing.EventDelay, ct).ConfigureAwait(false);
                }

                break;
            case WaitAction wait:
                await DelayAsync(wait.Duration, ct).ConfigureAwait(false);
                break;
            case DoneAction:
                break;
            default:
                throw new NotSupportedException($"No input mapping for {action.GetType().Name}.");
        }
    }

    private async Task MoveAsync(ScreenPoint point, CancellationToken ct)
    {
        (int x, int y) = point.ToPixel();
        Emit(() => _device.MovePointer(x, y), ct);
        await DelayAsync(_timing.EventDelay, ct).ConfigureAwait(false);
    }

    private async Task ClickAsync(MouseButton button, CancellationToken ct)
    {
        Emit(() => _device.PressButton(button), ct);
        try
        {
            await DelayAsync(_timing.EventDelay, ct).ConfigureAwait(false);
        }
        finally
        {
            Release(() => _device.ReleaseButton(button));
        }
    }

    private async Task DragAsync(DragAction drag, CancellationToken ct)
    {
        await MoveAsync(drag.Start, ct).ConfigureAwait(false);
        Emit(() => _device.PressButton(MouseButton.Left), ct);
        try
        {
            int steps = Math.Max(1, _timing.DragSteps);
            for (int i = 1; i <= steps; i++)
            {
                double t = (double)i / steps;
                var p = new ScreenPoint(drag.Start.X + (drag.End.X - drag.Start.X) * t, drag.Start.Y + (drag.End.Y - drag.Start.Y) * t);
                await MoveAsync(p, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            Release(() => _device.ReleaseButton(MouseButton.Left));
        }
    }

    private async Task HotkeyAsync(KeyChord chord, CancellationToken ct)
    {
        var pressed = new Stack<Key>();
        try
        {
            foreach (Key key in chord.Keys)
            {
                Emit(() => _device.PressKey(key), ct);
                pressed.Push(key);
                await DelayAsync(_timing.EventDelay, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            while (pressed.Count > 0)
            {
                Key key = pressed.Pop();
                Release(() => _device.ReleaseKey(key));
            }
        }
    }

    private void Emit(Action send, CancellationToken ct)
    {
        Check(ct);
        send();
        _device.Flush();
        EventCount++;
    }

    private void Release(Action send)
    {
        // Always sent, even after a trip: a stuck button or modifier is worse than one more event.
        send();
        _device.Flush();
        EventCount++;
    }

    private void Check(CancellationToken ct)
    {
        _killSwitch?.ThrowIfTripped();
        ct.ThrowIfCancellationRequested();
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        if (_killSwitch is null)
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _killSwitch.Token);
        try
        {
            await Task.Delay(delay, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _killSwitch.ThrowIfTripped();
            throw;
        }
    }
}
