using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Opens the screen capture and input device of the current platform: Windows (GDI capture, SendInput) or X11 on
/// Linux/FreeBSD (XGetImage, XTest). Other platforms (macOS, Wayland without XWayland) are not supported yet.
/// </summary>
public static class GuiPlatform
{
    /// <summary>Opens the platform's screen capture.</summary>
    /// <param name="x11Display">The X display on X11 (null for <c>$DISPLAY</c>); ignored on Windows.</param>
    /// <returns>The capture.</returns>
    /// <exception cref="PlatformNotSupportedException">The platform has no implementation.</exception>
    /// <exception cref="ScreenCaptureException">The display cannot be opened.</exception>
    public static IScreenCapture OpenScreenCapture(string? x11Display = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsScreenCapture.Open();
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
        {
            return X11ScreenCapture.Open(x11Display);
        }

        throw new PlatformNotSupportedException($"Screen capture is implemented for Windows and X11, not for {Environment.OSVersion}.");
    }

    /// <summary>Opens the platform's input device.</summary>
    /// <param name="x11Display">The X display on X11 (null for <c>$DISPLAY</c>); ignored on Windows.</param>
    /// <returns>The device.</returns>
    /// <exception cref="PlatformNotSupportedException">The platform has no implementation.</exception>
    /// <exception cref="InputInjectionException">The display cannot be opened or has no XTEST.</exception>
    public static IInputDevice OpenInputDevice(string? x11Display = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsInputDevice.Open();
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
        {
            return X11InputDevice.Open(x11Display);
        }

        throw new PlatformNotSupportedException($"Input injection is implemented for Windows and X11, not for {Environment.OSVersion}.");
    }

    /// <summary>Creates an executor that sends real input through the platform's device.</summary>
    /// <param name="killSwitch">The kill switch to honour.</param>
    /// <param name="timing">Pauses between events; null for the defaults.</param>
    /// <param name="x11Display">The X display on X11.</param>
    /// <returns>The executor (it owns the device).</returns>
    public static InputActionExecutor CreateExecutor(KillSwitch? killSwitch = null, InputTimingOptions? timing = null, string? x11Display = null)
        => new(OpenInputDevice(x11Display), killSwitch, timing, ownsDevice: true);
}
