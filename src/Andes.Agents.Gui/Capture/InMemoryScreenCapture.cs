using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// A "screen" backed by an image, for tests, dry runs and replays: the image covers the virtual desktop at one pixel
/// per desktop unit, starting at the desktop's top-left corner (which may be negative).
/// </summary>
/// <remarks>Thread-safe for captures; <see cref="Desktop"/> may be drawn on between captures.</remarks>
public sealed class InMemoryScreenCapture : IScreenCapture
{
    private readonly MonitorInfo[] _monitors;
    private readonly ScreenRectangle _desktop;

    /// <summary>Creates a single-monitor screen showing an image, its origin at (0, 0).</summary>
    /// <param name="image">The desktop image.</param>
    /// <param name="scaleFactor">The monitor's DPI scale.</param>
    public InMemoryScreenCapture(BgraImage image, double scaleFactor = 1.0)
        : this(image, [new MonitorInfo("memory", new ScreenRectangle(0, 0, image.Width, image.Height), scaleFactor, true)])
    {
    }

    /// <summary>Creates a screen with a monitor layout; the image covers the layout's bounding rectangle.</summary>
    /// <param name="image">The desktop image (its size must equal the layout's bounding rectangle).</param>
    /// <param name="monitors">The monitors.</param>
    /// <exception cref="ArgumentException">The image size does not match the layout.</exception>
    public InMemoryScreenCapture(BgraImage image, IReadOnlyList<MonitorInfo> monitors)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(monitors);
        if (monitors.Count == 0)
        {
            throw new ArgumentException("At least one monitor is needed.", nameof(monitors));
        }

        _monitors = [.. monitors.OrderByDescending(m => m.IsPrimary)];
        foreach (MonitorInfo m in _monitors)
        {
            _desktop = _desktop.Union(m.Bounds);
        }

        if (_desktop.Width != image.Width || _desktop.Height != image.Height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; the monitor layout spans {_desktop}.", nameof(image));
        }

        Desktop = image;
    }

    /// <summary>The desktop image.</summary>
    public BgraImage Desktop { get; }

    /// <summary>How many captures were taken.</summary>
    public int CaptureCount { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<MonitorInfo> GetMonitors() => _monitors;

    /// <inheritdoc />
    public ScreenFrame Capture(ScreenRectangle region)
    {
        if (region.IsEmpty || !_desktop.Contains(region))
        {
            throw new ScreenCaptureException($"The region {region} is not on the desktop {_desktop}.");
        }

        lock (_monitors)
        {
            CaptureCount++;
            BgraImage crop = Desktop.Crop(region.X - _desktop.X, region.Y - _desktop.Y, region.Width, region.Height);
            return new ScreenFrame(crop, region, ScreenCaptureExtensions.DominantScale(_monitors, region), DateTimeOffset.UtcNow);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
