using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Captures the screen: lists monitors (virtual-desktop bounds and DPI scale) and grabs any desktop rectangle as BGRA
/// pixels. See <see cref="ScreenCaptureExtensions"/> for whole-monitor and whole-desktop captures.
/// </summary>
/// <remarks>Implementations say whether they are thread-safe; the built-in ones serialise calls internally.</remarks>
public interface IScreenCapture : IDisposable
{
    /// <summary>Lists the monitors, primary first.</summary>
    /// <returns>The monitors.</returns>
    /// <exception cref="ScreenCaptureException">The platform call failed.</exception>
    IReadOnlyList<MonitorInfo> GetMonitors();

    /// <summary>Captures a rectangle of the virtual desktop.</summary>
    /// <param name="region">The rectangle, in virtual-desktop coordinates; it must lie on the desktop.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="ScreenCaptureException">The region is off the desktop or the platform call failed.</exception>
    ScreenFrame Capture(ScreenRectangle region);
}
