using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

/// <summary>Sizes only: real screen and photo sizes under both rules, both towers and max_size 733 / 1792, against the Python rules.</summary>
public sealed class ImageGeometryFixtureTests
{
    [Fact]
    public void Every_geometry_matches_the_python_rules()
    {
        int count = 0;
        foreach (var g in VisionFixtures.Geometry)
        {
            int patch = g.GetProperty("patch_size").GetInt32();
            ImageProcessorOptions options = patch == 16 ? ImageProcessorOptions.SigLip2 : ImageProcessorOptions.AimV2;
            options.MaxSize = g.GetProperty("max_size").GetInt32();
            options.SizingRule = g.GetProperty("rule").GetString() == "andesvl" ? ImageSizingRule.AndesVL : ImageSizingRule.Specification;
            var processor = new ImageProcessor(options);
            (int w, int h) = VisionFixtures.Pair(g.GetProperty("original"));
            ImageGeometry geometry = processor.GetGeometry(w, h);
            string label = $"{options.SizingRule} p{patch} max {options.MaxSize} {w}x{h}: {geometry}";
            Assert.True(VisionFixtures.Pair(g.GetProperty("resized")) == (geometry.ResizedWidth, geometry.ResizedHeight), label);
            Assert.True(VisionFixtures.Pair(g.GetProperty("padded")) == (geometry.PaddedWidth, geometry.PaddedHeight), label);
            Assert.True(VisionFixtures.Pair(g.GetProperty("offset")) == (geometry.OffsetX, geometry.OffsetY), label);
            Assert.True(g.GetProperty("tokens").GetInt32() == geometry.TokenCount, label);
            var capped = g.GetProperty("capped");
            Assert.True((capped.ValueKind != System.Text.Json.JsonValueKind.Null) == geometry.IsCapped, label);
            count++;
        }

        Assert.True(count >= 100);
    }

    [Fact]
    public void A_1920x1080_screenshot_at_733_is_980x560_with_700_tokens()
    {
        ImageGeometry g = new ImageProcessor().GetGeometry(1920, 1080);
        Assert.Equal((980, 551), (g.ResizedWidth, g.ResizedHeight));
        Assert.Equal((980, 560), (g.PaddedWidth, g.PaddedHeight));
        Assert.Equal((0, 4), (g.OffsetX, g.OffsetY));
        Assert.Equal((40, 70), (g.GridHeight, g.GridWidth));
        Assert.Equal(700, g.TokenCount);
        Assert.Equal(2800, g.PatchCount);
        Assert.Equal(588, g.PatchDimension);
    }

    [Fact]
    public void Tiny_images_get_the_minimum_area()
    {
        // The published rule fits a 56 x 56 area and rounds up: a square gains a full step (9 tokens);
        // the literal reading of the notes gives exactly 4 tokens.
        Assert.Equal(9, new ImageProcessor().GetGeometry(1, 1).TokenCount);
        Assert.Equal(4, new ImageProcessor(new ImageProcessorOptions { SizingRule = ImageSizingRule.Specification }).GetGeometry(1, 1).TokenCount);
        ImageProcessorOptions sigLip = ImageProcessorOptions.SigLip2;
        sigLip.SizingRule = ImageSizingRule.Specification;
        ImageGeometry g = new ImageProcessor(sigLip).GetGeometry(2, 2);
        Assert.Equal((64, 64), (g.PaddedWidth, g.PaddedHeight));
        Assert.Equal(4, g.TokenCount);
    }

    [Fact]
    public void Coordinates_map_between_original_and_canvas()
    {
        ImageGeometry g = new ImageProcessor().GetGeometry(1920, 1080);
        (double x, double y) = g.OriginalToPadded(960, 540);
        Assert.Equal(490, x, 9);
        Assert.Equal(4 + 275.5, y, 9);
        (double ox, double oy) = g.PaddedToOriginal(x, y);
        Assert.Equal(960, ox, 9);
        Assert.Equal(540, oy, 9);
        Assert.Equal((0.0, 0.0), g.PaddedToOriginal(g.OffsetX, g.OffsetY));
    }
}
