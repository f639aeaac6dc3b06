using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Screen capture on Windows with GDI: every call runs per-monitor DPI aware (v2) on its thread, so monitor bounds and
/// pixels are physical and monitors are listed in virtual-desktop coordinates (negative origins left of or above the
/// primary one). Monitors come from <c>EnumDisplayMonitors</c>, their scale from <c>GetDpiForMonitor</c> (effective DPI
/// / 96); pixels from <c>BitBlt</c> of the screen DC into a top-down 32-bit DIB (BGRA, handed on without encoding).
/// </summary>
/// <remarks>Thread-safe. Needs an interactive desktop (not a service session).</remarks>
[SupportedOSPlatform("windows")]
public sealed class WindowsScreenCapture : IScreenCapture
{
    private WindowsScreenCapture()
    {
    }

    /// <summary>Creates the capture.</summary>
    /// <returns>The capture.</returns>
    /// <exception cref="PlatformNotSupportedException">Not running on Windows.</exception>
    public static WindowsScreenCapture Open()
        => OperatingSystem.IsWindows() ? new WindowsScreenCapture() : throw new PlatformNotSupportedException("WindowsScreenCapture needs Windows.");

    /// <inheritdoc />
    public unsafe IReadOnlyList<MonitorInfo> GetMonitors()
    {
        using DpiAwarenessScope scope = DpiAwarenessScope.Enter();
        var handles = new List<IntPtr>();
        GCHandle gc = GCHandle.Alloc(handles);
        try
        {
            if (!Win32Native.EnumDisplayMonitors(IntPtr.Zero, IntPtr.Zero, &OnMonitor, GCHandle.ToIntPtr(gc)))
            {
                throw new ScreenCaptureException("EnumDisplayMonitors failed.");
            }
        }
        finally
        {
            gc.Free();
        }

        var monitors = new List<MonitorInfo>(handles.Count);
        foreach (IntPtr handle in handles)
        {
            var info = new Win32Native.MonitorInfoEx { Size = sizeof(Win32Native.MonitorInfoEx) };
            if (!Win32Native.GetMonitorInfo(handle, ref info))
            {
                continue;
            }

            double scale = Win32Native.GetDpiForMonitor(handle, Win32Native.MdtEffectiveDpi, out uint dpiX, out _) == 0 && dpiX > 0 ? dpiX / 96.0 : 1.0;
            string name = new string((char*)info.Device).TrimEnd('\0');
            Win32Native.Rect r = info.Monitor;
            monitors.Add(new MonitorInfo(
                name.Length > 0 ? name : string.Create(CultureInfo.InvariantCulture, $"monitor{monitors.Count}"),
                new ScreenRectangle(r.Left, r.Top, r.Right - r.Left, r.Bottom - r.Top),
                scale,
                (info.Flags & Win32Native.MonitorInfoFPrimary) != 0));
        }

        return [.. monitors.OrderByDescending(m => m.IsPrimary)];
    }

    /// <inheritdoc />
    public ScreenFrame Capture(ScreenRectangle region)
    {
        IReadOnlyList<MonitorInfo> monitors = GetMonitors();
        using DpiAwarenessScope scope = DpiAwarenessScope.Enter();
        var desktop = new ScreenRectangle(
            Win32Native.GetSystemMetrics(Win32Native.SmXVirtualScreen),
            Win32Native.GetSystemMetrics(Win32Native.SmYVirtualScreen),
            Win32Native.GetSystemMetrics(Win32Native.SmCxVirtualScreen),
            Win32Native.GetSystemMetrics(Win32Native.SmCyVirtualScreen));
        if (region.IsEmpty || !desktop.Contains(region))
        {
            throw new ScreenCaptureException($"The region {region} is not on the virtual desktop {desktop}.");
        }

        IntPtr screen = Win32Native.GetDC(IntPtr.Zero);
        if (screen == IntPtr.Zero)
        {
            throw new ScreenCaptureException("GetDC(NULL) failed: no interactive desktop?");
        }

        IntPtr memory = IntPtr.Zero, bitmap = IntPtr.Zero, previous = IntPtr.Zero;
        try
        {
            memory = Win32Native.CreateCompatibleDC(screen);
            var header = new Win32Native.BitmapInfoHeader
            {
                Size = Marshal.SizeOf<Win32Native.BitmapInfoHeader>(),
                Width = region.Width,
                Height = -region.Height, // top-down
                Planes = 1,
                BitCount = 32,
            };
            bitmap = Win32Native.CreateDIBSection(memory, ref header, Win32Native.DibRgbColors, out IntPtr bits, IntPtr.Zero, 0);
            if (memory == IntPtr.Zero || bitmap == IntPtr.Zero || bits == IntPtr.Zero)
            {
                throw new ScreenCaptureException(string.Create(CultureInfo.InvariantCulture, $"Cannot create a {region.Width}x{region.Height} capture bitmap."));
            }

            previous = Win32Native.SelectObject(memory, bitmap);
            if (!Win32Native.BitBlt(memory, 0, 0, region.Width, region.Height, screen, region.X, region.Y, Win32Native.SrcCopy | Win32Native.CaptureBlt))
            {
                throw new ScreenCaptureException(string.Create(CultureInfo.InvariantCulture, $"BitBlt of {region} failed (error {Marshal.GetLastPInvokeError()})."));
            }

            var image = new BgraImage(region.Width, region.Height);
            CopyOpaque(bits, image);
            return new ScreenFrame(image, region, ScreenCaptureExtensions.DominantScale(monitors, region), DateTimeOffset.UtcNow);
        }
        finally
        {
            if (previous != IntPtr.Zero)
            {
                Win32Native.SelectObject(memory, previous);
            }

            if (bitmap != IntPtr.Zero)
            {
                Win32Native.DeleteObject(bitmap);
            }

            if (memory != IntPtr.Zero)
            {
                Win32Native.DeleteDC(memory);
            }

            Win32Native.ReleaseDC(IntPtr.Zero, screen);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static unsafe void CopyOpaque(IntPtr bits, BgraImage image)
    {
        // GDI leaves the alpha byte 0; the DIB rows are tightly packed (32 bpp).
        uint opaque = BitConverter.IsLittleEndian ? 0xFF000000u : 0x000000FFu;
        for (int y = 0; y < image.Height; y++)
        {
            var source = new ReadOnlySpan<uint>((byte*)bits + (long)y * image.Width * 4, image.Width);
            Span<uint> target = image.GetRowPixels(y);
            source.CopyTo(target);
            for (int x = 0; x < target.Length; x++)
            {
                target[x] |= opaque;
            }
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnMonitor(IntPtr monitor, IntPtr dc, Win32Native.Rect* rect, IntPtr data)
    {
        if (GCHandle.FromIntPtr(data).Target is List<IntPtr> list)
        {
            list.Add(monitor);
        }

        return 1;
    }
}
