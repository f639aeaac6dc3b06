using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Input injection on X11 through the XTEST extension (libXtst, P/Invoke): pointer motion in root (desktop)
/// coordinates, buttons (wheel = buttons 4-7) and keys. Characters are typed by keysym: a keycode that already
/// produces the keysym (with Shift when it sits in the shifted column), otherwise a spare (unmapped) keycode is
/// remapped to it (the technique xdotool uses), so any Unicode character can be typed whatever the layout.
/// </summary>
/// <remarks>
/// <para>X clients translate a keycode with the keyboard map they fetch when they process the MappingNotify event, which
/// may be after later remaps. So each character keeps its own spare keycode (least recently used ones are reassigned
/// only when all are taken, after a short pause), and the spare keycodes are reset on <see cref="Dispose"/> after a
/// pause. A text with more distinct unmapped characters than there are spare keycodes (usually over a hundred) can
/// still race with a slow client.</para>
/// <para>Not thread-safe (use it through <see cref="InputActionExecutor"/>). Works under Xvfb.</para>
/// </remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("freebsd")]
public sealed class X11InputDevice : IInputDevice
{
    private static readonly TimeSpan RemapPause = TimeSpan.FromMilliseconds(100);
    private readonly X11Connection _connection;
    private readonly Dictionary<nuint, (byte Keycode, bool Shift)> _keymap = [];
    private readonly Dictionary<Key, (byte Keycode, bool Shift)> _pressed = [];
    private readonly List<byte> _spareKeycodes = [];
    private readonly Dictionary<nuint, byte> _borrowed = [];
    private readonly LinkedList<nuint> _borrowOrder = [];
    private readonly byte _shiftKeycode;
    private int _keysymsPerKeycode;

    private X11InputDevice(X11Connection connection)
    {
        _connection = connection;
        LoadKeymap();
        _shiftKeycode = _keymap.TryGetValue(X11Keysyms.ShiftL, out var shift) ? shift.Keycode : (byte)0;
    }

    /// <summary>The X display name in use.</summary>
    public string DisplayName => _connection.Name;

    /// <summary>Opens a display and checks for the XTEST extension.</summary>
    /// <param name="displayName">The display (e.g. <c>:99</c>), or null for <c>$DISPLAY</c>.</param>
    /// <returns>The device.</returns>
    /// <exception cref="InputInjectionException">No display, no libXtst, or no XTEST extension on the server.</exception>
    public static X11InputDevice Open(string? displayName = null)
    {
        X11Connection connection = X11Connection.Open(displayName, (message, inner) => new InputInjectionException(message, inner));
        try
        {
            bool hasXTest;
            try
            {
                hasXTest = X11Native.XTestQueryExtension(connection.Handle, out _, out _, out _, out _);
            }
            catch (DllNotFoundException e)
            {
                throw new InputInjectionException($"libXtst ({X11Native.LibXtst}) is not installed; cannot send input to X display '{connection.Name}'.", e);
            }

            if (!hasXTest)
            {
                throw new InputInjectionException($"The X server at '{connection.Name}' has no XTEST extension.");
            }

            return new X11InputDevice(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void MovePointer(int x, int y)
    {
        lock (_connection.Gate)
        {
            X11Native.XTestFakeMotionEvent(_connection.Handle, -1, x, y, 0);
        }
    }

    /// <inheritdoc />
    public void PressButton(MouseButton button) => FakeButton(ButtonNumber(button), true);

    /// <inheritdoc />
    public void ReleaseButton(MouseButton button) => FakeButton(ButtonNumber(button), false);

    /// <inheritdoc />
    public void ScrollNotch(ScrollDirection direction)
    {
        uint button = direction switch
        {
            ScrollDirection.Up => 4u,
            ScrollDirection.Down => 5u,
            ScrollDirection.Left => 6u,
            _ => 7u,
        };
        FakeButton(button, true);
        FakeButton(button, false);
    }

    /// <inheritdoc />
    public void PressKey(Key key)
    {
        lock (_connection.Gate)
        {
            (byte keycode, bool shift) = Resolve(X11Keysyms.Of(key), key.ToString());

            // A character in the shifted column (e.g. '+') gets Shift, unless the chord already holds Shift.
            bool addShift = shift && key.Special == SpecialKey.None && !_pressed.ContainsKey(Key.Of(SpecialKey.Shift));
            if (addShift)
            {
                FakeKeyLocked(_shiftKeycode, true);
            }

            FakeKeyLocked(keycode, true);
            _pressed[key] = (keycode, addShift);
        }
    }

    /// <inheritdoc />
    public void ReleaseKey(Key key)
    {
        lock (_connection.Gate)
        {
            if (!_pressed.Remove(key, out var held))
            {
                held = (Resolve(X11Keysyms.Of(key), key.ToString()).Keycode, false);
            }

            FakeKeyLocked(held.Keycode, false);
            if (held.Shift)
            {
                FakeKeyLocked(_shiftKeycode, false);
            }
        }
    }

    /// <inheritdoc />
    public void TypeCharacter(Rune character)
    {
        lock (_connection.Gate)
        {
            nuint keysym = X11Keysyms.Of(character);
            (byte keycode, bool shift) = Resolve(keysym, $"U+{character.Value:X4}");
            if (shift)
            {
                FakeKeyLocked(_shiftKeycode, true);
            }

            FakeKeyLocked(keycode, true);
            FakeKeyLocked(keycode, false);
            if (shift)
            {
                FakeKeyLocked(_shiftKeycode, false);
            }

            X11Native.XSync(_connection.Handle, 0);
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
        lock (_connection.Gate)
        {
            X11Native.XSync(_connection.Handle, 0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            lock (_connection.Gate)
            {
                RestoreSpareKeycodes();
            }
        }
        catch (ObjectDisposedException)
        {
        }

        _connection.Dispose();
    }

    private static uint ButtonNumber(MouseButton button) => button switch
    {
        MouseButton.Left => 1u,
        MouseButton.Middle => 2u,
        _ => 3u,
    };

    private void FakeButton(uint button, bool press)
    {
        lock (_connection.Gate)
        {
            X11Native.XTestFakeButtonEvent(_connection.Handle, button, press, 0);
        }
    }

    private void FakeKeyLocked(byte keycode, bool press)
    {
        if (keycode == 0)
        {
            throw new InputInjectionException($"The X keyboard map of '{_connection.Name}' has no Shift key to type a shifted character.");
        }

        X11Native.XTestFakeKeyEvent(_connection.Handle, keycode, press, 0);
    }

    private (byte Keycode, bool Shift) Resolve(nuint keysym, string what)
    {
        if (_keymap.TryGetValue(keysym, out var mapped))
        {
            return mapped;
        }

        if (_borrowed.TryGetValue(keysym, out byte borrowed))
        {
            _borrowOrder.Remove(keysym);
            _borrowOrder.AddLast(keysym);
            return (borrowed, false);
        }

        // Not on the keyboard: give this keysym a spare keycode of its own (both columns, so no Shift is needed).
        byte keycode;
        if (_borrowed.Count < _spareKeycodes.Count)
        {
            keycode = _spareKeycodes[_borrowed.Count];
        }
        else if (_borrowOrder.First is { } oldest)
        {
            // All spare keycodes are taken: reassign the least recently used one, giving clients time to catch up.
            keycode = _borrowed[oldest.Value];
            _borrowed.Remove(oldest.Value);
            _borrowOrder.RemoveFirst();
            X11Native.XSync(_connection.Handle, 0);
            Thread.Sleep(RemapPause);
        }
        else
        {
            throw new InputInjectionException($"Cannot type {what}: the X keyboard map of '{_connection.Name}' has neither that keysym (0x{keysym:X}) nor a spare keycode to remap.");
        }

        SetKeycode(keycode, keysym);
        _borrowed[keysym] = keycode;
        _borrowOrder.AddLast(keysym);
        return (keycode, false);
    }

    private unsafe void SetKeycode(byte keycode, nuint keysym)
    {
        int per = Math.Max(1, _keysymsPerKeycode);
        nuint* syms = stackalloc nuint[per];
        for (int i = 0; i < per; i++)
        {
            syms[i] = i < 2 ? keysym : 0;
        }

        X11Native.XChangeKeyboardMapping(_connection.Handle, keycode, per, syms, 1);
        X11Native.XSync(_connection.Handle, 0);
    }

    private void RestoreSpareKeycodes()
    {
        if (_borrowed.Count == 0)
        {
            return;
        }

        // Let clients translate the last keystrokes with the borrowed mapping before it goes away.
        X11Native.XSync(_connection.Handle, 0);
        Thread.Sleep(RemapPause);
        foreach (byte keycode in _borrowed.Values)
        {
            SetKeycode(keycode, 0);
        }

        _borrowed.Clear();
        _borrowOrder.Clear();
    }

    private unsafe void LoadKeymap()
    {
        lock (_connection.Gate)
        {
            IntPtr display = _connection.Handle;
            X11Native.XDisplayKeycodes(display, out int min, out int max);
            int count = max - min + 1;
            IntPtr map = X11Native.XGetKeyboardMapping(display, (byte)min, count, out int per);
            if (map == IntPtr.Zero)
            {
                throw new InputInjectionException(string.Create(CultureInfo.InvariantCulture, $"XGetKeyboardMapping failed on '{_connection.Name}' (keycodes {min}-{max})."));
            }

            try
            {
                _keysymsPerKeycode = per;
                var syms = new ReadOnlySpan<nuint>((void*)map, count * per);
                for (int k = 0; k < count; k++)
                {
                    ReadOnlySpan<nuint> row = syms.Slice(k * per, per);
                    bool empty = true;
                    for (int col = 0; col < per; col++)
                    {
                        if (row[col] != 0)
                        {
                            empty = false;
                        }
                    }

                    if (empty)
                    {
                        _spareKeycodes.Add((byte)(min + k));
                        continue;
                    }

                    // Columns 0 and 1 are the unshifted and shifted keysyms of the first group.
                    for (int col = 0; col < Math.Min(per, 2); col++)
                    {
                        nuint sym = row[col];
                        if (sym != 0)
                        {
                            _keymap.TryAdd(sym, ((byte)(min + k), col == 1));
                        }
                    }

                    // A letter key listing only its lower case still types the upper case with Shift.
                    if (per >= 1 && (per < 2 || row[1] == 0) && row[0] is >= 'a' and <= 'z')
                    {
                        _keymap.TryAdd(row[0] - 32, ((byte)(min + k), true));
                    }
                }
            }
            finally
            {
                X11Native.XFree(map);
            }
        }
    }
}
