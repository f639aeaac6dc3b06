using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class CoordinateMapperTests
{
    /// <summary>A random monitor: origin anywhere (negative too), DPI 100-250 %, physical or logical desktop units.</summary>
    private static (ScreenRectangle Bounds, int PixelWidth, int PixelHeight, double Scale) RandomMonitor(Random random)
    {
        double scale = 1.0 + 0.25 * random.Next(0, 7);
        int pixelWidth = random.Next(320, 5200), pixelHeight = random.Next(240, 3200);
        bool logical = random.Next(0, 2) == 0;
        int width = logical ? (int)Math.Round(pixelWidth / scale) : pixelWidth;
        int height = logical ? (int)Math.Round(pixelHeight / scale) : pixelHeight;
        var bounds = new ScreenRectangle(random.Next(-8000, 8000), random.Next(-4000, 4000), width, height);
        return (bounds, pixelWidth, pixelHeight, scale);
    }

    private static ImageSizingOptions RandomSizing(Random random) => new()
    {
        MaxSize = new[] { 733, 1024, 1792 }[random.Next(0, 3)],
        PatchSize = random.Next(0, 2) == 0 ? 14 : 16,
    };

    [Fact]
    public void RandomLayoutsRoundTripScreenPixelsThroughModelSpaceWithinOnePixel()
    {
        var random = new Random(20240611);
        for (int trial = 0; trial < 3000; trial++)
        {
            (ScreenRectangle bounds, int pw, int ph, double _) = RandomMonitor(random);
            var frame = random.Next(0, 2) == 0 ? ModelCoordinateFrame.ProcessedImage : ModelCoordinateFrame.SourceImage;
            var mapper = new CoordinateMapper(ImageGeometry.Compute(pw, ph, RandomSizing(random)), new ModelCoordinateSystem(random.Next(0, 2) == 0 ? 1000 : 10000, frame), bounds);

            // Desktop pixel -> model -> desktop.
            var pixel = (X: random.Next(bounds.X, bounds.Right), Y: random.Next(bounds.Y, bounds.Bottom));
            ModelPoint model = mapper.ToModel(ScreenPoint.FromPixel(pixel.X, pixel.Y));
            Assert.InRange(model.X, 0, mapper.Coordinates.Scale);
            Assert.InRange(model.Y, 0, mapper.Coordinates.Scale);
            Assert.True(mapper.TryMapToScreen(model, out ScreenPoint back, out GroundingFailure? failure), failure?.Message);
            (int bx, int by) = back.ToPixel();
            Assert.InRange(bx - pixel.X, -1, 1);
            Assert.InRange(by - pixel.Y, -1, 1);
            Assert.True(bounds.Contains(back), $"{back} not in {bounds}");

            // Screenshot pixel -> model -> screenshot pixel is exact.
            var image = ImagePoint.FromPixel(random.Next(0, pw), random.Next(0, ph));
            ImagePoint imageBack = mapper.ToImage(mapper.ToModel(image));
            Assert.Equal(image.X, imageBack.X, 6);
            Assert.Equal(image.Y, imageBack.Y, 6);
        }
    }

    [Fact]
    public void IntegerModelAnswersLandInsideTheTargetBox()
    {
        // A model answers in whole units: the centre of a box of at least a few pixels must still hit the box.
        var random = new Random(77);
        for (int trial = 0; trial < 2000; trial++)
        {
            (ScreenRectangle bounds, int pw, int ph, double _) = RandomMonitor(random);
            var mapper = new CoordinateMapper(ImageGeometry.Compute(pw, ph, RandomSizing(random)), ModelCoordinateSystem.AndesVL, bounds);
            double unitX = (double)mapper.Geometry.PaddedWidth / 1000 / mapper.Geometry.ScaleX;
            double unitY = (double)mapper.Geometry.PaddedHeight / 1000 / mapper.Geometry.ScaleY;
            double w = random.Next((int)Math.Ceiling(3 * unitX) + 2, Math.Max((int)Math.Ceiling(3 * unitX) + 3, pw / 4));
            double h = random.Next((int)Math.Ceiling(3 * unitY) + 2, Math.Max((int)Math.Ceiling(3 * unitY) + 3, ph / 4));
            double x = random.NextDouble() * (pw - w), y = random.NextDouble() * (ph - h);
            var truth = new ImageBox(x, y, x + w, y + h);

            string answer = GroundingAnswerWriter.WriteBox(GroundingAnswerWriter.RoundInward(mapper.ToModel(truth)));
            GroundingResult result = ScreenGrounder.Resolve("target", answer, mapper);
            Assert.True(truth.Contains(result.ImageTarget), $"{answer} -> {result.ImageTarget} not in {truth} ({mapper.Geometry})");
            ScreenBox screenTruth = mapper.ToScreen(truth);
            Assert.InRange(result.ScreenTarget.X, screenTruth.Left, screenTruth.Right);
            Assert.InRange(result.ScreenTarget.Y, screenTruth.Top, screenTruth.Bottom);
        }
    }

    [Fact]
    public void PaddingIsAccountedFor()
    {
        // 1920x1080 -> 1932x1092 canvas, content 1932x1087 at (0, 2), coordinates over the processed canvas: model y=0 lies in the top padding.
        var processedFrame = new ModelCoordinateSystem(1000, ModelCoordinateFrame.ProcessedImage);
        var mapper = new CoordinateMapper(new ImageGeometry(1920, 1080, 1932, 1092, 0, 2, 1932, 1087), processedFrame, new ScreenRectangle(-1920, 0, 1920, 1080));
        Assert.Equal(2, mapper.Geometry.OffsetY);
        ProcessedImagePoint processed = mapper.ToProcessed(new ModelPoint(500, 500));
        Assert.Equal(966, processed.X, 9);
        Assert.Equal(546, processed.Y, 9);
        ImagePoint image = mapper.ToImage(processed);
        Assert.Equal(966 / (1932.0 / 1920), image.X, 9);
        Assert.Equal((546 - 2) / (1087.0 / 1080), image.Y, 9);
        ScreenPoint screen = mapper.ToScreen(image);
        Assert.Equal(-1920 + image.X, screen.X, 9);

        // Without the padding offset the error would be 2 canvas pixels; check the top edge maps to screenshot row 0.
        Assert.Equal(0, mapper.ToImage(new ProcessedImagePoint(0, 2)).Y, 9);
    }

    [Fact]
    public void PointsInThePaddingAreRejected()
    {
        // A tall canvas with a lot of horizontal padding: 1080x2400 -> 1092x2408, content 1084 wide at x=4.
        var processedFrame = new ModelCoordinateSystem(1000, ModelCoordinateFrame.ProcessedImage);
        var mapper = new CoordinateMapper(new ImageGeometry(1080, 2400, 1092, 2408, 4, 0, 1084, 2408), processedFrame, new ScreenRectangle(0, 0, 1080, 2400));
        Assert.Equal(4, mapper.Geometry.OffsetX);
        Assert.False(mapper.TryMapToScreen(new ModelPoint(0, 500), out _, out GroundingFailure? failure));
        Assert.Equal(GroundingFailureReason.OutsideImage, failure!.Reason);
        Assert.False(mapper.TryMapToScreen(new ModelPoint(1000, 500), out _, out failure));
        Assert.Equal(GroundingFailureReason.OutsideImage, failure!.Reason);
        Assert.True(mapper.TryMapToScreen(new ModelPoint(4, 500), out ScreenPoint inside, out _));
        Assert.InRange(inside.X, 0, 1);

        var e = Assert.Throws<GroundingAnswerException>(() => ScreenGrounder.Resolve("x", "(0,500)", mapper));
        Assert.Equal(GroundingFailureReason.OutsideImage, e.Reason);
        Assert.Contains("padding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AndesVLCoordinatesAreOverTheSourceImageWhateverThePadding()
    {
        // The default frame (AndesVL's published scorer divides by the original image's size): the engine's padding
        // (1920x1080 -> 980x551 at (0, 4) in 980x560 at max_size 733) does not move a point.
        Assert.Equal(ModelCoordinateFrame.SourceImage, ModelCoordinateSystem.AndesVL.Frame);
        var mapper = new CoordinateMapper(ImageGeometry.Compute(1920, 1080), ModelCoordinateSystem.AndesVL, new ScreenRectangle(-1920, 0, 1920, 1080));
        Assert.Equal(4, mapper.Geometry.OffsetY);
        Assert.True(mapper.TryMapToScreen(new ModelPoint(500, 0), out ScreenPoint top, out _));
        Assert.Equal(new ScreenPoint(-960, 0), top);
        Assert.Equal(960, mapper.ToImage(new ModelPoint(500, 500)).X, 9);
        Assert.Equal(540, mapper.ToImage(new ModelPoint(500, 500)).Y, 9);

        // Read over the processed canvas the same answers land elsewhere: 1 row off at the centre, and y=0 falls
        // into the top padding (4 canvas pixels, about 8 screen rows, above the screenshot).
        var processed = new CoordinateMapper(mapper.Geometry, new ModelCoordinateSystem(1000, ModelCoordinateFrame.ProcessedImage), mapper.ScreenBounds);
        Assert.Equal(540 - 4 * (1080.0 / 551) + 0.5 * 9 * (1080.0 / 551), processed.ToImage(new ModelPoint(500, 500)).Y, 6);
        Assert.Equal(-4 * (1080.0 / 551), processed.ToImage(new ModelPoint(500, 0)).Y, 6);
    }

    [Fact]
    public void FarEdgeIsClampedOntoTheLastPixel()
    {
        var mapper = new CoordinateMapper(ImageGeometry.Identity(1000, 500), ModelCoordinateSystem.AndesVL, new ScreenRectangle(100, 200, 1000, 500));
        Assert.True(mapper.TryMapToScreen(new ModelPoint(1000, 1000), out ScreenPoint corner, out _));
        Assert.Equal((1099, 699), corner.ToPixel());
        Assert.True(mapper.TryMapToScreen(new ModelPoint(0, 0), out corner, out _));
        Assert.Equal((100, 200), corner.ToPixel());
    }

    [Fact]
    public void LogicalDesktopCoordinatesDivideByTheDpiScale()
    {
        // A 150 % monitor left of the primary one, captured at 2880x1620 physical pixels, 1920x1080 logical units.
        var mapper = new CoordinateMapper(ImageGeometry.Identity(2880, 1620), ModelCoordinateSystem.AndesVL, new ScreenRectangle(-1920, 0, 1920, 1080));
        Assert.Equal(1 / 1.5, mapper.ScreenUnitsPerPixelX, 12);
        ScreenPoint p = mapper.ToScreen(new ImagePoint(1440, 810));
        Assert.Equal(new ScreenPoint(-960, 540), p);
        Assert.Equal(new ModelPoint(500, 500), mapper.ToModel(p));
    }
}
