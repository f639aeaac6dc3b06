using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Screen capture on X11 through libX11 (P/Invoke): <c>XGetImage</c> on the root window, monitors from XRandR 1.5
/// (<c>XRRGetMonitors</c>) or, without it, one monitor the size of the root window. X11 desktop coordinates are
/// physical pixels, so frames have one pixel per desktop unit; the DPI scale comes from the <c>Xft.dpi</c> resource
/// (96 = 1.0) when set.
/// </summary>
/// <remarks>Thread-safe: calls are serialised on the connection. Works under Xvfb.</remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("freebsd")]
public sealed class X11ScreenCapture : IScreenCapture
{
    private readonly X11Connection _connection;

    private X11ScreenCapture(X11Connection connection)
    {
        _connection = connection;
    }

    /// <summary>The X display name in use (e.g. <c>:99</c>).</summary>
    public string DisplayName => _connection.Name;

    /// <summary>Opens a display.</summary>
    /// <param name="displayName">The display (e.g. <c>:99</c>), or null for <c>$DISPLAY</c>.</param>
    /// <returns>The capture.</returns>
    /// <exception cref="ScreenCaptureException">libX11 is missing or the display cannot be opened.</exception>
    public static X11ScreenCapture Open(string? displayName = null)
        => new(X11Connection.Open(displayName, (message, inner) => new ScreenCaptureException(message, inner)));

    /// <inheritdoc />
    public IReadOnlyList<MonitorInfo> GetMonitors()
    {
        lock (_connection.Gate)
        {
            IntPtr display = _connection.Handle;
            double scale = ReadXftScale(display);
            var monitors = new List<MonitorInfo>();
            try
            {
                if (X11Native.XRRQueryExtension(display, out _, out _))
                {
                    ReadRandRMonitors(display, scale, monitors);
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No XRandR 1.5: fall back to the root window below.
            }

            if (monitors.Count == 0)
            {
                int width = X11Native.XDisplayWidth(display, _connection.Screen);
                int height = X11Native.XDisplayHeight(display, _connection.Screen);
                monitors.Add(new MonitorInfo(string.Create(CultureInfo.InvariantCulture, $"screen{_connection.Screen}"), new ScreenRectangle(0, 0, width, height), scale, true));
            }

            return [.. monitors.OrderByDescending(m => m.IsPrimary)];
        }
    }

    /// <inheritdoc />
    public ScreenFrame Capture(ScreenRectangle region)
    {
        lock (_connection.Gate)
        {
            IntPtr display = _connection.Handle;
            var root = new ScreenRectangle(0, 0, X11Native.XDisplayWidth(display, _connection.Screen), X11Native.XDisplayHeight(display, _connection.Screen));
            if (region.IsEmpty || !root.Contains(region))
            {
                throw new ScreenCaptureException($"The region {region} is not inside the X root window {root} of display '{_connection.Name}'.");
            }

            X11Connection.ClearError();
            IntPtr ximage = X11Native.XGetImage(display, _connection.Root, region.X, region.Y, (uint)region.Width, (uint)region.Height, X11Native.AllPlanes, X11Native.ZPixmap);
            int error = _connection.SyncAndTakeError();
            if (ximage == IntPtr.Zero)
            {
                throw new ScreenCaptureException(string.Create(CultureInfo.InvariantCulture, $"XGetImage of {region} on display '{_connection.Name}' failed (X error {error})."));
            }

            try
            {
                var image = new BgraImage(region.Width, region.Height);
                CopyToBgra(Marshal.PtrToStructure<X11Native.XImage>(ximage), image);
                double scale = ReadXftScale(display);
                return new ScreenFrame(image, region, scale, DateTimeOffset.UtcNow);
            }
            finally
            {
                X11Native.XDestroyImage(ximage);
            }
        }
    }

    /// <summary>Where the X pointer is, in root (desktop) coordinates.</summary>
    /// <returns>The pointer position.</returns>
    public (int X, int Y) QueryPointer()
    {
        lock (_connection.Gate)
        {
            X11Native.XQueryPointer(_connection.Handle, _connection.Root, out _, out _, out int x, out int y, out _, out _, out _);
            return (x, y);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CopyToBgra(in X11Native.XImage source, BgraImage target)
    {
        byte* data = (byte*)source.Data;
        int width = target.Width;
        bool fast = source.BitsPerPixel == 32 && source.ByteOrder == X11Native.LsbFirst
            && source.RedMask == 0xFF0000 && source.GreenMask == 0xFF00 && source.BlueMask == 0xFF;
        for (int y = 0; y < target.Height; y++)
        {
            var row = new ReadOnlySpan<byte>(data + (long)y * source.BytesPerLine, source.BytesPerLine);
            Span<uint> output = target.GetRowPixels(y);
            if (fast)
            {
                // Memory order B, G, R, X: already BGRA apart from the undefined alpha byte.
                MemoryMarshal.Cast<byte, uint>(row[..(width * 4)]).CopyTo(output);
                uint opaque = BitConverter.IsLittleEndian ? 0xFF000000u : 0x000000FFu;
                for (int x = 0; x < output.Length; x++)
                {
                    output[x] |= opaque;
                }
            }
            else
            {
                ConvertRow(source, row, output);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvertRow(in X11Native.XImage source, ReadOnlySpan<byte> row, Span<uint> output)
    {
        int bytesPerPixel = source.BitsPerPixel / 8;
        if (bytesPerPixel is < 2 or > 4)
        {
            throw new ScreenCaptureException(string.Create(CultureInfo.InvariantCulture, $"Unsupported X image format: {source.BitsPerPixel} bits per pixel (depth {source.Depth})."));
        }

        ulong redMask = source.RedMask, greenMask = source.GreenMask, blueMask = source.BlueMask;
        for (int x = 0; x < output.Length; x++)
        {
            ulong pixel = 0;
            ReadOnlySpan<byte> p = row.Slice(x * bytesPerPixel, bytesPerPixel);
            for (int i = 0; i < bytesPerPixel; i++)
            {
                int shift = source.ByteOrder == X11Native.LsbFirst ? 8 * i : 8 * (bytesPerPixel - 1 - i);
                pixel |= (ulong)p[i] << shift;
            }

            byte r = Channel(pixel, redMask), g = Channel(pixel, greenMask), b = Channel(pixel, blueMask);
            output[x] = new BgraColor(b, g, r).Packed;
        }
    }

    private static byte Channel(ulong pixel, ulong mask)
    {
        if (mask == 0)
        {
            return 0;
        }

        int shift = BitOperations.TrailingZeroCount(mask);
        ulong max = mask >> shift;
        ulong value = (pixel & mask) >> shift;
        return (byte)(value * 255 / max);
    }

    private static unsafe void ReadRandRMonitors(IntPtr display, double scale, List<MonitorInfo> monitors)
    {
        IntPtr list = X11Native.XRRGetMonitors(display, X11Native.XRootWindow(display, X11Native.XDefaultScreen(display)), true, out int count);
        if (list == IntPtr.Zero)
        {
            return;
        }

        try
        {
            var infos = new ReadOnlySpan<X11Native.XRRMonitorInfo>((void*)list, count);
            foreach (X11Native.XRRMonitorInfo info in infos)
            {
                string name = AtomName(display, info.Name) ?? string.Create(CultureInfo.InvariantCulture, $"monitor{monitors.Count}");
                monitors.Add(new MonitorInfo(name, new ScreenRectangle(info.X, info.Y, info.Width, info.Height), scale, info.Primary != 0));
            }
        }
        finally
        {
            X11Native.XRRFreeMonitors(list);
        }

        if (monitors.Count > 0 && !monitors.Any(m => m.IsPrimary))
        {
            monitors[0] = monitors[0] with { IsPrimary = true };
        }
    }

    private static string? AtomName(IntPtr display, nuint atom)
    {
        if (atom == 0)
        {
            return null;
        }

        IntPtr name = X11Native.XGetAtomName(display, atom);
        if (name == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(name);
        }
        finally
        {
            X11Native.XFree(name);
        }
    }

    private static double ReadXftScale(IntPtr display)
    {
        string? resources = Marshal.PtrToStringUTF8(X11Native.XResourceManagerString(display));
        return ParseXftScale(resources);
    }

    /// <summary>Reads <c>Xft.dpi</c> from an X resource string; 1.0 when absent or invalid.</summary>
    /// <param name="resources">The RESOURCE_MANAGER text.</param>
    /// <returns>dpi / 96.</returns>
    internal static double ParseXftScale(string? resources)
    {
        if (resources is null)
        {
            return 1.0;
        }

        foreach (string line in resources.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual("Xft.dpi")
                && double.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double dpi) && dpi > 0)
            {
                return dpi / 96.0;
            }
        }

        return 1.0;
    }
}
