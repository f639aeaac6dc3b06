using Andes.Agents.Gui;
using Andes.GenAI;
namespace Andes.Agents.Gui.Tests.Grounding;

/// <summary>
/// The GUI and the engine size images with one arithmetic (Andes.Abstractions' <see cref="ImageGeometry"/>): the engine's
/// processor, configured from its own options, gives the geometry the GUI computes from its sizing options, and the GUI's
/// coordinate mapper inverts the engine's mapping (the only reason this project references Andes.GenAI).
/// </summary>
public sealed class ImageGeometryEngineParityTests
{
    private static IEnumerable<(int W, int H)> Sizes()
    {
        // Real screens and phones, exact multiples of the step, tiny and extreme images, around the cap.
        (int, int)[] named =
        [
            (1920, 1080), (2560, 1440), (3840, 2160), (1366, 768), (1280, 800), (1024, 768), (1080, 2400), (1170, 2532),
            (540, 960), (432, 936), (5120, 1440), (7680, 4320), (1, 1), (2, 2), (56, 56), (28, 28), (560, 420), (732, 733),
            (733, 733), (734, 734), (4172, 10), (10, 4172), (4173, 4173), (9000, 50), (50, 9000), (1, 6000), (6000, 1),
        ];
        foreach ((int, int) size in named)
        {
            yield return size;
        }

        var random = new Random(20251204);
        for (int i = 0; i < 1500; i++)
        {
            yield return random.Next(4) switch
            {
                0 => (random.Next(1, 200), random.Next(1, 200)),
                1 => (28 * random.Next(1, 120), 28 * random.Next(1, 120)),
                2 => (random.Next(1, 9000), random.Next(1, 9000)),
                _ => (random.Next(200, 4000), random.Next(200, 4000)),
            };
        }
    }

    [Fact]
    public void TheEnginesProcessorSizesLikeTheGuisOptionsForEverySize()
    {
        int checkedCount = 0;
        foreach (ImageSizingRule rule in new[] { ImageSizingRule.AndesVL, ImageSizingRule.Specification })
        {
            foreach (int patch in new[] { 14, 16 })
            {
                foreach (int maxSize in new[] { 733, 1792, 448, 1000 })
                {
                    var gui = new ImageSizingOptions { PatchSize = patch, MaxSize = maxSize, Rule = rule };
                    ImageProcessorOptions engineOptions = patch == 16 ? ImageProcessorOptions.SigLip2 : ImageProcessorOptions.AimV2;
                    engineOptions.MaxSize = maxSize;
                    engineOptions.SizingRule = rule;
                    var processor = new ImageProcessor(engineOptions);
                    foreach ((int w, int h) in Sizes())
                    {
                        Assert.Equal(processor.GetGeometry(w, h), ImageGeometry.Compute(w, h, gui));
                        checkedCount++;
                    }
                }
            }
        }

        Assert.True(checkedCount > 20_000);
    }

    [Fact]
    public void TheMapperAgreesWithTheEnginesCoordinateMapping()
    {
        var random = new Random(7);
        var processor = new ImageProcessor();
        foreach ((int w, int h) in Sizes().Take(400))
        {
            ImageGeometry e = processor.GetGeometry(w, h);
            var mapper = new CoordinateMapper(ImageGeometry.Compute(w, h), ModelCoordinateSystem.AndesVL, new ScreenRectangle(0, 0, w, h));
            for (int k = 0; k < 5; k++)
            {
                var point = new ImagePoint(random.NextDouble() * w, random.NextDouble() * h);
                (double px, double py) = e.OriginalToPadded(point.X, point.Y);
                ProcessedImagePoint p = mapper.ToProcessed(point);
                Assert.Equal(px, p.X, 6);
                Assert.Equal(py, p.Y, 6);
                ImagePoint back = mapper.ToImage(p);
                (double ox, double oy) = e.PaddedToOriginal(px, py);
                Assert.Equal(ox, back.X, 6);
                Assert.Equal(oy, back.Y, 6);
            }
        }
    }

    [Fact]
    public void TheEngineReadsTheImageSizeTheGuiWrites()
    {
        Assert.Equal(ImageProcessorOptions.DefaultMaxSize, ImageSizingOptions.DefaultMaxSize);
        Assert.Equal(ImageProcessorOptions.DefaultMaxLongestSide, ImageSizingOptions.DefaultLongestSideCap);

        // The engine reads the value the GUI writes.
        var options = new Microsoft.Extensions.AI.ChatOptions();
        new ImageSizingOptions { MaxSize = 1792 }.ApplyTo(options);
        Assert.Equal(1792, options.GetImageMaxSize());
    }
}
