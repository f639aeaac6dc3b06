using Andes.Agents.Gui;
namespace Andes.SemanticKernel.Tests.Gui;

/// <summary>An in-memory desktop and grounding answers aimed at its elements (the GUI tests' own helpers are internal).</summary>
internal static class GuiTestScreens
{
    /// <summary>The primary monitor of <see cref="TwoMonitors"/>.</summary>
    public static readonly ScreenRectangle Primary = new(0, 0, 800, 600);

    /// <summary>A 800x600 primary monitor at (0,0) and a 640x480 one left of it at (-640, 60).</summary>
    public static InMemoryScreenCapture TwoMonitors()
    {
        var image = new BgraImage(1440, 600);
        ImageDrawing.Clear(image, BgraColor.FromRgb(230, 230, 230));
        return new InMemoryScreenCapture(image,
        [
            new MonitorInfo("primary", Primary, 1.0, true),
            new MonitorInfo("left", new ScreenRectangle(-640, 60, 640, 480), 1.5, false),
        ]);
    }

    /// <summary>An AndesVL box answer for a desktop box on a frame of the primary monitor.</summary>
    public static string BoxAnswer(ScreenBox target)
    {
        var mapper = new CoordinateMapper(ImageGeometry.Compute(Primary.Width, Primary.Height), ModelCoordinateSystem.AndesVL, Primary);
        ImagePoint a = mapper.ToImage(new ScreenPoint(target.Left, target.Top)), b = mapper.ToImage(new ScreenPoint(target.Right, target.Bottom));
        return GroundingAnswerWriter.WriteBox(GroundingAnswerWriter.RoundInward(mapper.ToModel(new ImageBox(a.X, a.Y, b.X, b.Y))));
    }
}
