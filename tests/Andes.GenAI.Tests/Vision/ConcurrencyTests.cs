using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task One_processor_serves_parallel_decodes_and_resizes()
    {
        string[] files = ["inputs/text_300x200.png", "inputs/photo_120x90.jpg", "inputs/anim_50x40.gif", "inputs/bitmap_45x33.bmp"];
        byte[][] encoded = [.. files.Select(VisionFixtures.ReadBytes)];
        var processor = new ImageProcessor(new ImageProcessorOptions { MaxSize = 140 });
        float[][] expected = [.. encoded.Select(e =>
        {
            using ProcessedImage p = processor.ProcessEncoded(e);
            return p.PixelValues.ToArray();
        })];

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (int i = 0; i < 12; i++)
            {
                int k = (worker + i) % files.Length;
                using ProcessedImage p = processor.ProcessEncoded(encoded[k], files[k]);
                Assert.True(expected[k].AsSpan().SequenceEqual(p.PixelValues.Span), $"{files[k]} differed on worker {worker}");
            }
        })));
    }
}
