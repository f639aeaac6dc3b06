using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Whole-monitor and whole-desktop captures over any <see cref="IScreenCapture"/>.</summary>
public static class ScreenCaptureExtensions
{
    /// <summary>The bounding rectangle of all monitors.</summary>
    /// <param name="capture">The capture.</param>
    /// <returns>The virtual desktop's bounds.</returns>
    public static ScreenRectangle GetVirtualDesktopBounds(this IScreenCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ScreenRectangle bounds = default;
        foreach (MonitorInfo monitor in capture.GetMonitors())
        {
            bounds = bounds.Union(monitor.Bounds);
        }

        return bounds;
    }

    /// <summary>The primary monitor (the first one when none is marked primary).</summary>
    /// <param name="capture">The capture.</param>
    /// <returns>The monitor.</returns>
    /// <exception cref="ScreenCaptureException">There is no monitor.</exception>
    public static MonitorInfo GetPrimaryMonitor(this IScreenCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        IReadOnlyList<MonitorInfo> monitors = capture.GetMonitors();
        if (monitors.Count == 0)
        {
            throw new ScreenCaptureException("The screen has no monitors.");
        }

        return monitors.FirstOrDefault(m => m.IsPrimary) ?? monitors[0];
    }

    /// <summary>Captures one monitor.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="monitor">The monitor.</param>
    /// <returns>The frame.</returns>
    public static ScreenFrame CaptureMonitor(this IScreenCapture capture, MonitorInfo monitor)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(monitor);
        return capture.Capture(monitor.Bounds);
    }

    /// <summary>Captures the primary monitor.</summary>
    /// <param name="capture">The capture.</param>
    /// <returns>The frame.</returns>
    public static ScreenFrame CapturePrimaryMonitor(this IScreenCapture capture) => capture.CaptureMonitor(capture.GetPrimaryMonitor());

    /// <summary>Captures the whole virtual desktop (every monitor).</summary>
    /// <param name="capture">The capture.</param>
    /// <returns>The frame.</returns>
    public static ScreenFrame CaptureVirtualDesktop(this IScreenCapture capture) => capture.Capture(capture.GetVirtualDesktopBounds());

    /// <summary>The DPI scale of the monitor that holds most of a region (1.0 when none does).</summary>
    /// <param name="monitors">The monitors.</param>
    /// <param name="region">The region.</param>
    /// <returns>The scale.</returns>
    public static double DominantScale(IReadOnlyList<MonitorInfo> monitors, ScreenRectangle region)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        double scale = 1.0;
        long best = 0;
        foreach (MonitorInfo m in monitors)
        {
            ScreenRectangle overlap = m.Bounds.Intersect(region);
            long area = (long)overlap.Width * overlap.Height;
            if (area > best)
            {
                best = area;
                scale = m.ScaleFactor;
            }
        }

        return scale;
    }
}
