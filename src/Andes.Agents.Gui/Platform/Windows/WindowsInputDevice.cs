using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Input injection on Windows with <c>SendInput</c>: absolute pointer moves over the whole virtual desktop
/// (<c>MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK</c>, physical pixels: every call runs per-monitor DPI aware),
/// buttons, wheel notches (120 units), virtual-key hotkeys and Unicode text (<c>KEYEVENTF_UNICODE</c>, one event pair
/// per UTF-16 unit, so any character types whatever the keyboard layout).
/// </summary>
/// <remarks>
/// Not thread-safe (use it through <see cref="InputActionExecutor"/>). Windows drops input aimed at windows of a higher
/// integrity level (UIPI); that surfaces as an <see cref="InputInjectionException"/>.
/// </remarks>
[SupportedOSPlatform("windows")]
public sealed class WindowsInputDevice : IInputDevice
{
    private const ushort VkShift = 0x10, VkControl = 0x11, VkMenu = 0x12, VkReturn = 0x0D, VkTab = 0x09;

    private WindowsInputDevice()
    {
    }

    /// <summary>Creates the device.</summary>
    /// <returns>The device.</returns>
    /// <exception cref="PlatformNotSupportedException">Not running on Windows.</exception>
    public static WindowsInputDevice Open()
        => OperatingSystem.IsWindows() ? new WindowsInputDevice() : throw new PlatformNotSupportedException("WindowsInputDevice needs Windows.");

    /// <inheritdoc />
    public void MovePointer(int x, int y)
    {
        using DpiAwarenessScope scope = DpiAwarenessScope.Enter();
        int left = Win32Native.GetSystemMetrics(Win32Native.SmXVirtualScreen);
        int top = Win32Native.GetSystemMetrics(Win32Native.SmYVirtualScreen);
        int width = Math.Max(1, Win32Native.GetSystemMetrics(Win32Native.SmCxVirtualScreen));
        int height = Math.Max(1, Win32Native.GetSystemMetrics(Win32Native.SmCyVirtualScreen));

        // Normalised 0..65535 over the virtual desktop, aimed at the pixel's centre.
        int dx = (int)Math.Clamp((((long)x - left) * 65536 + 32768) / width, 0, 65535);
        int dy = (int)Math.Clamp((((long)y - top) * 65536 + 32768) / height, 0, 65535);
        SendMouse(dx, dy, 0, Win32Native.MouseEventMove | Win32Native.MouseEventAbsolute | Win32Native.MouseEventVirtualDesk, "move");
    }

    /// <inheritdoc />
    public void PressButton(MouseButton button) => SendMouse(0, 0, 0, button switch
    {
        MouseButton.Left => Win32Native.MouseEventLeftDown,
        MouseButton.Right => Win32Native.MouseEventRightDown,
        _ => Win32Native.MouseEventMiddleDown,
    }, $"{button} button down");

    /// <inheritdoc />
    public void ReleaseButton(MouseButton button) => SendMouse(0, 0, 0, button switch
    {
        MouseButton.Left => Win32Native.MouseEventLeftUp,
        MouseButton.Right => Win32Native.MouseEventRightUp,
        _ => Win32Native.MouseEventMiddleUp,
    }, $"{button} button up");

    /// <inheritdoc />
    public void ScrollNotch(ScrollDirection direction)
    {
        (uint flag, int delta) = direction switch
        {
            ScrollDirection.Up => (Win32Native.MouseEventWheel, Win32Native.WheelDelta),
            ScrollDirection.Down => (Win32Native.MouseEventWheel, -Win32Native.WheelDelta),
            ScrollDirection.Left => (Win32Native.MouseEventHWheel, -Win32Native.WheelDelta),
            _ => (Win32Native.MouseEventHWheel, Win32Native.WheelDelta),
        };
        SendMouse(0, 0, delta, flag, $"scroll {direction}");
    }

    /// <inheritdoc />
    public void PressKey(Key key)
    {
        (ushort vk, bool extended) = VirtualKey(key);
        SendKey(vk, 0, (extended ? Win32Native.KeyEventExtendedKey : 0), $"{key} down");
    }

    /// <inheritdoc />
    public void ReleaseKey(Key key)
    {
        (ushort vk, bool extended) = VirtualKey(key);
        SendKey(vk, 0, Win32Native.KeyEventKeyUp | (extended ? Win32Native.KeyEventExtendedKey : 0), $"{key} up");
    }

    /// <inheritdoc />
    public void TypeCharacter(Rune character)
    {
        if (character.Value is '\n' or '\r' or '\t')
        {
            ushort vk = character.Value == '\t' ? VkTab : VkReturn;
            SendKey(vk, 0, 0, "Enter/Tab down");
            SendKey(vk, 0, Win32Native.KeyEventKeyUp, "Enter/Tab up");
            return;
        }

        Span<char> units = stackalloc char[2];
        int count = character.EncodeToUtf16(units);
        for (int i = 0; i < count; i++)
        {
            SendKey(0, units[i], Win32Native.KeyEventUnicode, $"U+{character.Value:X4} down");
            SendKey(0, units[i], Win32Native.KeyEventUnicode | Win32Native.KeyEventKeyUp, $"U+{character.Value:X4} up");
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static (ushort Vk, bool Extended) VirtualKey(Key key)
    {
        switch (key.Special)
        {
            case SpecialKey.Enter: return (VkReturn, false);
            case SpecialKey.Tab: return (VkTab, false);
            case SpecialKey.Escape: return (0x1B, false);
            case SpecialKey.Backspace: return (0x08, false);
            case SpecialKey.Delete: return (0x2E, true);
            case SpecialKey.Insert: return (0x2D, true);
            case SpecialKey.Home: return (0x24, true);
            case SpecialKey.End: return (0x23, true);
            case SpecialKey.PageUp: return (0x21, true);
            case SpecialKey.PageDown: return (0x22, true);
            case SpecialKey.Left: return (0x25, true);
            case SpecialKey.Up: return (0x26, true);
            case SpecialKey.Right: return (0x27, true);
            case SpecialKey.Down: return (0x28, true);
            case SpecialKey.Space: return (0x20, false);
            case SpecialKey.Control: return (VkControl, false);
            case SpecialKey.Shift: return (VkShift, false);
            case SpecialKey.Alt: return (VkMenu, false);
            case SpecialKey.Meta: return (0x5B, true);
            case SpecialKey.CapsLock: return (0x14, false);
            case SpecialKey.PrintScreen: return (0x2C, true);
            case SpecialKey.Menu: return (0x5D, true);
            case >= SpecialKey.F1 and <= SpecialKey.F12: return ((ushort)(0x70 + (key.Special - SpecialKey.F1)), false);
            case SpecialKey.None:
                char c = key.Character;
                if (c is >= 'a' and <= 'z')
                {
                    return ((ushort)(c - 32), false);
                }

                if (c is >= '0' and <= '9')
                {
                    return (c, false);
                }

                short scan = Win32Native.VkKeyScanW(c);
                if (scan == -1)
                {
                    throw new InputInjectionException($"The keyboard layout has no key for '{c}' (VkKeyScan failed); type it as text instead.");
                }

                return ((ushort)(scan & 0xFF), false);
            default:
                throw new InputInjectionException($"No virtual key for {key}.");
        }
    }

    private static void SendMouse(int dx, int dy, int data, uint flags, string what)
    {
        var input = new Win32Native.Input
        {
            Type = Win32Native.InputMouse,
            Data = new Win32Native.InputUnion { Mouse = new Win32Native.MouseInput { Dx = dx, Dy = dy, MouseData = data, Flags = flags } },
        };
        Send(input, what);
    }

    private static void SendKey(ushort vk, ushort scan, uint flags, string what)
    {
        var input = new Win32Native.Input
        {
            Type = Win32Native.InputKeyboard,
            Data = new Win32Native.InputUnion { Keyboard = new Win32Native.KeyboardInput { VirtualKey = vk, ScanCode = scan, Flags = flags } },
        };
        Send(input, what);
    }

    private static void Send(Win32Native.Input input, string what)
    {
        uint sent = Win32Native.SendInput(1, [input], Marshal.SizeOf<Win32Native.Input>());
        if (sent != 1)
        {
            throw new InputInjectionException($"SendInput refused the {what} event (error {Marshal.GetLastPInvokeError()}; input to an elevated window is blocked by UIPI).");
        }
    }
}
