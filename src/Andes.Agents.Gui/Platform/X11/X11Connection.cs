using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Andes.Agents.Gui;

/// <summary>
/// One Xlib display connection, used under its own lock (Xlib connections are not thread-safe without XInitThreads).
/// Installs, once per process, an X error handler that records errors instead of Xlib's default, which exits.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("freebsd")]
internal sealed class X11Connection : IDisposable
{
    private static int s_handlerInstalled;
    private static int s_lastErrorCode;
    private IntPtr _display;

    private X11Connection(IntPtr display, string name)
    {
        _display = display;
        Name = name;
        Screen = X11Native.XDefaultScreen(display);
        Root = X11Native.XRootWindow(display, Screen);
    }

    /// <summary>The display name used (e.g. <c>:99</c>).</summary>
    public string Name { get; }

    /// <summary>The default screen number.</summary>
    public int Screen { get; }

    /// <summary>The root window of the default screen.</summary>
    public nuint Root { get; }

    /// <summary>The lock every call on this connection must hold.</summary>
    public object Gate { get; } = new();

    /// <summary>The Display pointer.</summary>
    public IntPtr Handle => _display != IntPtr.Zero ? _display : throw new ObjectDisposedException(nameof(X11Connection));

    /// <summary>Opens a display.</summary>
    /// <param name="displayName">The display name, or null for $DISPLAY.</param>
    /// <param name="error">Builds the typed exception thrown on failure.</param>
    /// <returns>The connection.</returns>
    public static X11Connection Open(string? displayName, Func<string, Exception?, Exception> error)
    {
        string name = displayName ?? Environment.GetEnvironmentVariable("DISPLAY") ?? string.Empty;
        if (name.Length == 0)
        {
            throw error("No X display: DISPLAY is not set and no display name was given.", null);
        }

        IntPtr display;
        try
        {
            InstallErrorHandler();
            display = X11Native.XOpenDisplay(name);
        }
        catch (DllNotFoundException e)
        {
            throw error($"libX11 ({X11Native.LibX11}) is not installed; cannot open X display '{name}'.", e);
        }

        if (display == IntPtr.Zero)
        {
            throw error($"Cannot open X display '{name}' (no X server there, or access denied).", null);
        }

        return new X11Connection(display, name);
    }

    /// <summary>Syncs with the server and returns (and clears) the last X error code seen, 0 for none.</summary>
    /// <returns>The X error code.</returns>
    public int SyncAndTakeError()
    {
        X11Native.XSync(Handle, 0);
        return Interlocked.Exchange(ref s_lastErrorCode, 0);
    }

    /// <summary>Clears the recorded X error.</summary>
    public static void ClearError() => Interlocked.Exchange(ref s_lastErrorCode, 0);

    /// <inheritdoc />
    public void Dispose()
    {
        IntPtr display = Interlocked.Exchange(ref _display, IntPtr.Zero);
        if (display != IntPtr.Zero)
        {
            lock (Gate)
            {
                X11Native.XCloseDisplay(display);
            }
        }
    }

    private static unsafe void InstallErrorHandler()
    {
        if (Interlocked.Exchange(ref s_handlerInstalled, 1) == 0)
        {
            X11Native.XSetErrorHandler(&OnError);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnError(IntPtr display, IntPtr errorEvent)
    {
        // XErrorEvent: int type; Display* display; XID resourceid; unsigned long serial; unsigned char error_code; ...
        int offset = IntPtr.Size == 8 ? 32 : 16;
        Volatile.Write(ref s_lastErrorCode, Marshal.ReadByte(errorEvent, offset));
        return 0;
    }
}
