using Andes.Agents.Gui.Grounding;

namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class ImageGeometryTests
{
    [Theory]
    // width, height, maxSize -> processed W, H, content x, y, w, h (AndesVL's published rule; values from the engine's Python-checked fixtures)
    [InlineData(1920, 1080, 733, 980, 560, 0, 4, 980, 551)]
    [InlineData(120, 90, 733, 140, 112, 0, 3, 140, 105)]
    [InlineData(1, 1, 733, 84, 84, 0, 0, 84, 84)]
    [InlineData(56, 56, 733, 84, 84, 0, 0, 84, 84)]
    public void AndesVLSizingRule(int w, int h, int maxSize, int pw, int ph, int cx, int cy, int cw, int ch)
    {
        ImageGeometry g = ImageGeometry.Compute(w, h, new ImageSizingOptions { MaxSize = maxSize });
        Assert.Equal((pw, ph, cx, cy, cw, ch), (g.ProcessedWidth, g.ProcessedHeight, g.ContentX, g.ContentY, g.ContentWidth, g.ContentHeight));
        Assert.Equal(pw / 28 * (ph / 28), g.TokenCount());
    }

    [Fact]
    public void TheDefaultsAreTheEngines()
    {
        ImageSizingOptions o = ImageSizingOptions.AndesVL;
        Assert.Equal((14, 2, 733, 4172, 4, ImageSizingRule.AndesVL), (o.PatchSize, o.MergeSize, o.MaxSize, o.LongestSideCap, o.MinTokens, o.Rule));
        Assert.Equal(28, o.Base);
        Assert.Equal(700, ImageGeometry.Compute(1920, 1080).TokenCount());
    }

    [Fact]
    public void UnderTheSpecificationRuleAnImageAlreadyOnTheGridIsUntouched()
    {
        ImageGeometry g = ImageGeometry.Compute(28 * 20, 28 * 15, new ImageSizingOptions { Rule = ImageSizingRule.Specification });
        Assert.True(g.IsIdentity);
        Assert.Equal(1.0, g.ScaleX);

        // The published rule adds a full step to a side that already is a multiple.
        ImageGeometry published = ImageGeometry.Compute(28 * 20, 28 * 15);
        Assert.Equal((28 * 21, 28 * 16), (published.ProcessedWidth, published.ProcessedHeight));
    }

    [Fact]
    public void SigLip2UsesStep32()
    {
        var options = new ImageSizingOptions { PatchSize = 16 };
        ImageGeometry g = ImageGeometry.Compute(1000, 700, options);
        Assert.Equal(32, options.Base);
        Assert.Equal(0, g.ProcessedWidth % 32);
        Assert.Equal(0, g.ProcessedHeight % 32);
    }

    [Fact]
    public void RandomSizesAlwaysFitTheCanvasCentred()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            int w = random.Next(1, 6000), h = random.Next(1, 6000);
            var options = new ImageSizingOptions
            {
                MaxSize = random.Next(0, 2) == 0 ? 733 : 1792,
                PatchSize = random.Next(0, 2) == 0 ? 14 : 16,
                Rule = random.Next(0, 2) == 0 ? ImageSizingRule.AndesVL : ImageSizingRule.Specification,
            };
            ImageGeometry g = ImageGeometry.Compute(w, h, options);
            Assert.Equal(0, g.ProcessedWidth % options.Base);
            Assert.Equal(0, g.ProcessedHeight % options.Base);
            Assert.InRange(g.ContentX + g.ContentWidth, 1, g.ProcessedWidth);
            Assert.InRange(g.ContentY + g.ContentHeight, 1, g.ProcessedHeight);
            Assert.InRange(g.ProcessedWidth - g.ContentWidth - 2 * g.ContentX, 0, 1);
            Assert.InRange(g.ProcessedHeight - g.ContentHeight - 2 * g.ContentY, 0, 1);

            // One side (nearly) fills its canvas side and the aspect ratio is kept, up to the rounding of the
            // integer sizes (the published rule truncates the capped size, then rounds the resized one).
            Assert.True(g.ContentWidth >= g.ProcessedWidth - 4 || g.ContentHeight >= g.ProcessedHeight - 4, $"{options.Rule} {g}");
            double s = Math.Min((double)g.ProcessedWidth / w, (double)g.ProcessedHeight / h);
            Assert.True(Math.Abs(g.ContentWidth - w * s) <= 4 + 0.01 * g.ContentWidth, $"{options.Rule} {g}");
            Assert.True(Math.Abs(g.ContentHeight - h * s) <= 4 + 0.01 * g.ContentHeight, $"{options.Rule} {g}");
        }
    }

    [Fact]
    public void BadSizesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGeometry.Compute(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGeometry.Compute(10, 10, new ImageSizingOptions { MaxSize = 20 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageGeometry(10, 10, 28, 28, 20, 0, 10, 10));
    }
}
