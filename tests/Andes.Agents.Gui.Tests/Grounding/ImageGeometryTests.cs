using Andes.Agents.Gui;
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
        Assert.Equal((pw, ph, cx, cy, cw, ch), (g.PaddedWidth, g.PaddedHeight, g.OffsetX, g.OffsetY, g.ResizedWidth, g.ResizedHeight));
        Assert.Equal(pw / 28 * (ph / 28), g.TokenCount);
    }

    [Fact]
    public void TheDefaultsAreTheEngines()
    {
        ImageSizingOptions o = ImageSizingOptions.AndesVL;
        Assert.Equal((14, 2, 733, 4172, 4, ImageSizingRule.AndesVL), (o.PatchSize, o.MergeSize, o.MaxSize, o.LongestSideCap, o.MinTokens, o.Rule));
        Assert.Equal(28, o.Base);
        Assert.Equal(700, ImageGeometry.Compute(1920, 1080).TokenCount);
    }

    [Fact]
    public void UnderTheSpecificationRuleAnImageAlreadyOnTheGridIsUntouched()
    {
        ImageGeometry g = ImageGeometry.Compute(28 * 20, 28 * 15, new ImageSizingOptions { Rule = ImageSizingRule.Specification });
        Assert.True(g.IsIdentity);
        Assert.Equal(1.0, g.ScaleX);

        // The published rule adds a full step to a side that already is a multiple.
        ImageGeometry published = ImageGeometry.Compute(28 * 20, 28 * 15);
        Assert.Equal((28 * 21, 28 * 16), (published.PaddedWidth, published.PaddedHeight));
    }

    [Fact]
    public void SigLip2UsesStep32()
    {
        var options = new ImageSizingOptions { PatchSize = 16 };
        ImageGeometry g = ImageGeometry.Compute(1000, 700, options);
        Assert.Equal(32, options.Base);
        Assert.Equal(0, g.PaddedWidth % 32);
        Assert.Equal(0, g.PaddedHeight % 32);
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
            Assert.Equal(0, g.PaddedWidth % options.Base);
            Assert.Equal(0, g.PaddedHeight % options.Base);
            Assert.InRange(g.OffsetX + g.ResizedWidth, 1, g.PaddedWidth);
            Assert.InRange(g.OffsetY + g.ResizedHeight, 1, g.PaddedHeight);
            Assert.InRange(g.PaddedWidth - g.ResizedWidth - 2 * g.OffsetX, 0, 1);
            Assert.InRange(g.PaddedHeight - g.ResizedHeight - 2 * g.OffsetY, 0, 1);

            // One side (nearly) fills its canvas side and the aspect ratio is kept, up to the rounding of the
            // integer sizes (the published rule truncates the capped size, then rounds the resized one).
            Assert.True(g.ResizedWidth >= g.PaddedWidth - 4 || g.ResizedHeight >= g.PaddedHeight - 4, $"{options.Rule} {g}");
            double s = Math.Min((double)g.PaddedWidth / w, (double)g.PaddedHeight / h);
            Assert.True(Math.Abs(g.ResizedWidth - w * s) <= 4 + 0.01 * g.ResizedWidth, $"{options.Rule} {g}");
            Assert.True(Math.Abs(g.ResizedHeight - h * s) <= 4 + 0.01 * g.ResizedHeight, $"{options.Rule} {g}");
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
