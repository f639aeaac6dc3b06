using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

/// <summary>Screen-capture style inputs: raw RGB/BGR/RGBA/BGRA buffers with padded strides give the same patches as the decoded PNG.</summary>
public sealed class RawPixelBufferTests
{
    [Theory]
    [InlineData("inputs/text_300x200.png", 0)]
    [InlineData("inputs/noise_100x60.png", 0)]
    [InlineData("inputs/gradient_37x23.png", 0)]
    [InlineData("inputs/text_300x200.png", 1)]
    [InlineData("inputs/tall_30x260.png", 1)]
    public void Every_raw_layout_equals_the_decoded_png(string file, int ruleIndex)
    {
        RgbImage decoded = ImageDecoder.Decode(VisionFixtures.ReadBytes(file), file);
        var processor = new ImageProcessor(new ImageProcessorOptions { MaxSize = 112, MaxLongestSide = 200, SizingRule = (ImageSizingRule)ruleIndex });
        using ProcessedImage reference = processor.Process(decoded);
        float[] expected = reference.PixelValues.ToArray();
        foreach (ImagePixelFormat format in Enum.GetValues<ImagePixelFormat>())
        {
            foreach (int padding in new[] { 0, 1, 13 })
            {
                (byte[] raw, int stride) = Convert(decoded, format, padding);
                using ProcessedImage processed = processor.Process(raw, decoded.Width, decoded.Height, format, stride);
                Assert.Equal(reference.Geometry, processed.Geometry);
                Assert.True(expected.AsSpan().SequenceEqual(processed.PixelValues.Span), $"{format} with {padding} bytes of row padding differs");

                float[] into = new float[processed.Geometry.ValueCount + 5];
                ImageGeometry g = processor.ProcessInto(raw, decoded.Width, decoded.Height, format, stride, into);
                Assert.Equal(reference.Geometry, g);
                Assert.True(expected.AsSpan().SequenceEqual(into.AsSpan(0, g.ValueCount)));
            }
        }
    }

    [Fact]
    public void An_image_already_at_its_target_size_is_used_as_is()
    {
        // 56 x 84 under the literal rule needs no resize or padding: the patches come straight from the buffer.
        var processor = new ImageProcessor(new ImageProcessorOptions { SizingRule = ImageSizingRule.Specification });
        var random = new Random(5);
        byte[] rgb = new byte[56 * 84 * 3];
        random.NextBytes(rgb);
        (byte[] bgra, int stride) = Convert(new RgbImage(rgb, 56, 84), ImagePixelFormat.Bgra32, 8);
        using ProcessedImage a = processor.Process(rgb, 56, 84, ImagePixelFormat.Rgb24);
        using ProcessedImage b = processor.Process(bgra, 56, 84, ImagePixelFormat.Bgra32, stride);
        Assert.Equal((56, 84, 0, 0), (a.Geometry.ResizedWidth, a.Geometry.ResizedHeight, a.Geometry.OffsetX, a.Geometry.OffsetY));
        Assert.True(a.PixelValues.Span.SequenceEqual(b.PixelValues.Span));

        // Patch 0 is the top-left 14 x 14 block, red plane first.
        float[] table = PatchFlattener.BuildTable(true, 1 / 255.0, true, ImageProcessorOptions.AimV2.ImageMean, ImageProcessorOptions.AimV2.ImageStd);
        Assert.Equal(table[rgb[0]], a.PixelValues.Span[0]);
        Assert.Equal(table[256 + rgb[1]], a.PixelValues.Span[196]);
        Assert.Equal(table[rgb[3 * ((13 * 56) + 13)]], a.PixelValues.Span[195]);

        // Patch 1 is the block to its right (same group), patch 2 the block below it.
        Assert.Equal(table[rgb[3 * 14]], a.PixelValues.Span[588]);
        Assert.Equal(table[rgb[3 * 14 * 56]], a.PixelValues.Span[2 * 588]);

        // Patch 4 starts the second group (columns 28..55 of the first 28 rows).
        Assert.Equal(table[rgb[3 * 28]], a.PixelValues.Span[4 * 588]);
    }

    [Fact]
    public void Bad_buffers_are_typed()
    {
        var processor = new ImageProcessor();
        var ex = Assert.Throws<InvalidImageException>(() => processor.Process(new byte[100], 10, 10, ImagePixelFormat.Rgb24));
        Assert.Equal(ImageErrorKind.InvalidPixelBuffer, ex.Kind);
        Assert.Contains("300", ex.Message);
        ex = Assert.Throws<InvalidImageException>(() => processor.Process(new byte[400], 10, 10, ImagePixelFormat.Bgra32, stride: 30));
        Assert.Equal(ImageErrorKind.InvalidPixelBuffer, ex.Kind);
        Assert.Contains("stride 30", ex.Message);
        ex = Assert.Throws<InvalidImageException>(() => processor.Process(new byte[400], 0, 10, ImagePixelFormat.Bgra32));
        Assert.Equal(ImageErrorKind.InvalidPixelBuffer, ex.Kind);
        Assert.Throws<ArgumentException>(() => processor.ProcessInto(new byte[300], 10, 10, ImagePixelFormat.Rgb24, 0, new float[10]));

        // The last row needs only its pixels, not a full stride.
        using ProcessedImage ok = processor.Process(new byte[(9 * 64) + 40], 10, 10, ImagePixelFormat.Bgra32, stride: 64);
        Assert.Equal(9, ok.TokenCount);
    }

    [Fact]
    public void Disposed_images_refuse_access()
    {
        ProcessedImage image = new ImageProcessor().Process(new byte[30], 5, 2, ImagePixelFormat.Rgb24);
        Assert.Equal(image.PatchCount * image.PatchDimension, image.PixelValues.Length);
        image.Dispose();
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.PixelValues);
    }

    internal static (byte[] Data, int Stride) Convert(RgbImage image, ImagePixelFormat format, int padding)
    {
        int bpp = format is ImagePixelFormat.Rgb24 or ImagePixelFormat.Bgr24 ? 3 : 4;
        bool swap = format is ImagePixelFormat.Bgr24 or ImagePixelFormat.Bgra32;
        int stride = (bpp * image.Width) + padding;
        byte[] data = new byte[stride * image.Height];
        Array.Fill(data, (byte)0xA5); // padding and alpha carry junk that must be ignored
        ReadOnlySpan<byte> rgb = image.Pixels.Span;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int s = 3 * ((y * image.Width) + x), d = (y * stride) + (bpp * x);
                data[d] = rgb[swap ? s + 2 : s];
                data[d + 1] = rgb[s + 1];
                data[d + 2] = rgb[swap ? s : s + 2];
                if (bpp == 4)
                {
                    data[d + 3] = (byte)(x * 7);
                }
            }
        }

        return (data, stride);
    }
}
