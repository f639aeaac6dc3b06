using System.Runtime.Versioning;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;

namespace Andes.Agents.Gui.Tests.Capture;

public sealed class CaptureTests
{
    [Fact]
    public void InMemoryCaptureCropsRegionsAndReportsTheDominantScale()
    {
        using InMemoryScreenCapture screen = TestScreens.TwoMonitors();
        screen.Desktop.SetPixel(640 - 600, 100, BgraColor.FromRgb(1, 2, 3)); // desktop (-600, 100) on the left monitor
        Assert.Equal(new ScreenRectangle(-640, 0, 1440, 600), screen.GetVirtualDesktopBounds());
        Assert.Equal("primary", screen.GetPrimaryMonitor().Name);

        ScreenFrame left = screen.Capture(new ScreenRectangle(-640, 60, 640, 480));
        Assert.Equal(1.5, left.ScaleFactor);
        Assert.Equal(BgraColor.FromRgb(1, 2, 3), left.Image.GetPixel(40, 40));
        Assert.Equal(1.0, screen.CapturePrimaryMonitor().ScaleFactor);
        Assert.Equal((1440, 600), (screen.CaptureVirtualDesktop().Width, screen.CaptureVirtualDesktop().Height));
        var e = Assert.Throws<ScreenCaptureException>(() => screen.Capture(new ScreenRectangle(700, 500, 200, 200)));
        Assert.Contains("[700,500 200x200]", e.Message, StringComparison.Ordinal);
        Assert.Equal("image/png", left.ToDataContent().MediaType);
    }

    [Fact]
    public void ScreenRectangleGeometry()
    {
        var a = new ScreenRectangle(-10, -10, 20, 20);
        var b = new ScreenRectangle(5, 5, 10, 10);
        Assert.Equal(new ScreenRectangle(-10, -10, 25, 25), a.Union(b));
        Assert.Equal(new ScreenRectangle(5, 5, 5, 5), a.Intersect(b));
        Assert.True(a.Intersect(new ScreenRectangle(100, 100, 1, 1)).IsEmpty);
        Assert.True(a.Contains(new ScreenPoint(-10, 9.99)));
        Assert.False(a.Contains(new ScreenPoint(10, 0)));
    }

    [SkippableTheory]
    [InlineData(null, 1.0)]
    [InlineData("Xft.antialias:\t1\nXft.dpi:\t144\n", 1.5)]
    [InlineData("Xft.dpi: 240", 2.5)]
    [InlineData("Xft.dpi: nonsense", 1.0)]
    [InlineData("Xcursor.size: 24", 1.0)]
    [SupportedOSPlatform("linux")]
    public void XftDpiGivesTheX11ScaleFactor(string? resources, double scale)
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        Assert.Equal(scale, X11ScreenCapture.ParseXftScale(resources));
    }
}
