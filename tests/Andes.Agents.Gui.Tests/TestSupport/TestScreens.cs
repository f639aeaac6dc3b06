using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.TestSupport;

/// <summary>In-memory desktops and answers aimed at their elements.</summary>
internal static class TestScreens
{
    /// <summary>A two-monitor desktop: a 800x600 primary at (0,0) and a 640x480 secondary left of it at (-640, 60).</summary>
    public static InMemoryScreenCapture TwoMonitors()
    {
        var image = new BgraImage(1440, 600);
        ImageDrawing.Clear(image, BgraColor.FromRgb(230, 230, 230));
        MonitorInfo[] monitors =
        [
            new("primary", new ScreenRectangle(0, 0, 800, 600), 1.0, true),
            new("left", new ScreenRectangle(-640, 60, 640, 480), 1.5, false),
        ];

        // The layout spans (-640,0)-(800,600): 1440x600; the area above/below the left monitor is just unused pixels.
        return new InMemoryScreenCapture(image, monitors);
    }

    /// <summary>An AndesVL box answer for a desktop box on a frame captured from the given region.</summary>
    public static string BoxAnswer(ScreenRectangle frameBounds, ScreenBox target, ImageSizingOptions? sizing = null)
    {
        var mapper = new CoordinateMapper(ImageGeometry.Compute(frameBounds.Width, frameBounds.Height, sizing), ModelCoordinateSystem.AndesVL, frameBounds);
        ImagePoint a = mapper.ToImage(new ScreenPoint(target.Left, target.Top)), b = mapper.ToImage(new ScreenPoint(target.Right, target.Bottom));
        ModelBox box = mapper.ToModel(new ImageBox(a.X, a.Y, b.X, b.Y));
        return GroundingAnswerWriter.WriteBox(GroundingAnswerWriter.RoundInward(box));
    }
}
