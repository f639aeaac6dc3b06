using Andes.Agents.Gui.Grounding;

namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class ImageGeometryTests
{
    [Theory]
    // width, height, maxSize -> processed W, H, content x, y, w, h (computed by hand from the spec's rule)
    [InlineData(1920, 1080, 1792, 1932, 1092, 0, 2, 1932, 1087)]
    [InlineData(10, 10, 1792, 56, 56, 0, 0, 56, 56)]
    [InlineData(4000, 3000, 1792, 2072, 1568, 0, 7, 2072, 1554)]
    [InlineData(5000, 1000, 1792, 4032, 812, 0, 3, 4032, 806)]
    [InlineData(1080, 2400, 1792, 1092, 2408, 4, 0, 1084, 2408)]
    [InlineData(800, 600, 1792, 812, 616, 0, 3, 812, 609)]
    [InlineData(1080, 2400, 733, 504, 1120, 0, 0, 504, 1120)]
    public void AndesVLSizingRule(int w, int h, int maxSize, int pw, int ph, int cx, int cy, int cw, int ch)
    {
        ImageGeometry g = ImageGeometry.Compute(w, h, new ImageSizingOptions { MaxSize = maxSize });
        Assert.Equal((pw, ph, cx, cy, cw, ch), (g.ProcessedWidth, g.ProcessedHeight, g.ContentX, g.ContentY, g.ContentWidth, g.ContentHeight));
        Assert.Equal(0, g.ProcessedWidth % 28);
        Assert.Equal(0, g.ProcessedHeight % 28);
        Assert.Equal(pw / 28 * (ph / 28), g.TokenCount());
    }

    [Fact]
    public void AnImageAlreadyOnTheGridIsUntouched()
    {
        ImageGeometry g = ImageGeometry.Compute(28 * 40, 28 * 30);
        Assert.True(g.IsIdentity);
        Assert.Equal(1.0, g.ScaleX);
    }

    [Fact]
    public void SigLip2UsesBase32()
    {
        ImageGeometry g = ImageGeometry.Compute(1000, 700, new ImageSizingOptions { PatchSize = 16 });
        Assert.Equal((1024, 704), (g.ProcessedWidth, g.ProcessedHeight));
        Assert.Equal(32, new ImageSizingOptions { PatchSize = 16 }.Base);
    }

    [Fact]
    public void RandomSizesAlwaysFitTheCanvasCentred()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            int w = random.Next(1, 6000), h = random.Next(1, 6000);
            var options = new ImageSizingOptions { MaxSize = random.Next(0, 2) == 0 ? 733 : 1792, PatchSize = random.Next(0, 2) == 0 ? 14 : 16 };
            ImageGeometry g = ImageGeometry.Compute(w, h, options);
            Assert.Equal(0, g.ProcessedWidth % options.Base);
            Assert.Equal(0, g.ProcessedHeight % options.Base);
            Assert.InRange(g.ContentX + g.ContentWidth, 1, g.ProcessedWidth);
            Assert.InRange(g.ContentY + g.ContentHeight, 1, g.ProcessedHeight);
            Assert.InRange(g.ProcessedWidth - g.ContentWidth - 2 * g.ContentX, 0, 1);
            Assert.InRange(g.ProcessedHeight - g.ContentHeight - 2 * g.ContentY, 0, 1);

            // One side fills its canvas side (up to rounding), and the aspect ratio is kept.
            Assert.True(g.ContentWidth >= g.ProcessedWidth - 1 || g.ContentHeight >= g.ProcessedHeight - 1, g.ToString());
            double s = Math.Min((double)g.ProcessedWidth / w, (double)g.ProcessedHeight / h);
            Assert.True(g.IsIdentity || Math.Abs(g.ContentWidth - w * s) <= 0.5 + 1e-9, g.ToString());
            Assert.True(g.IsIdentity || Math.Abs(g.ContentHeight - h * s) <= 0.5 + 1e-9, g.ToString());
        }
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGeometry.Compute(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageGeometry(10, 10, 28, 28, 20, 0, 10, 10));
    }
}
