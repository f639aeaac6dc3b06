using System.Runtime.Versioning;

namespace Andes.Agents.Gui;

/// <summary>
/// Makes the calling thread per-monitor DPI aware (v2) for its lifetime, so monitor rectangles, screen DCs and
/// SendInput's virtual-desktop coordinates are all physical pixels, whatever the process's own awareness.
/// </summary>
[SupportedOSPlatform("windows")]
internal readonly struct DpiAwarenessScope : IDisposable
{
    private readonly IntPtr _previous;

    private DpiAwarenessScope(IntPtr previous) => _previous = previous;

    /// <summary>Enters per-monitor v2 awareness on this thread.</summary>
    public static DpiAwarenessScope Enter() => new(Win32Native.SetThreadDpiAwarenessContext(Win32Native.PerMonitorAwareV2));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_previous != IntPtr.Zero)
        {
            Win32Native.SetThreadDpiAwarenessContext(_previous);
        }
    }
}
