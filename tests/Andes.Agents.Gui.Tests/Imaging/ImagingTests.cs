using Andes.Agents.Gui;
using Andes.GenAI;
using ImageInfo = Andes.Agents.Gui.ImageInfo;

namespace Andes.Agents.Gui.Tests.Imaging;

public sealed class ImagingTests
{
    private static BgraImage Noise(int width, int height, int seed)
    {
        var image = new BgraImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(37, 23, false)]
    [InlineData(37, 23, true)]
    [InlineData(300, 200, false)]
    public void PngRoundTripsThroughAnIndependentDecoder(int width, int height, bool alpha)
    {
        BgraImage image = Noise(width, height, width * height);
        ImageDrawing.FillRectangle(image, 0, 0, width / 2 + 1, height / 2 + 1, BgraColor.FromRgb(10, 200, 30));
        byte[] png = PngEncoder.Encode(image, new PngEncoderOptions { IncludeAlpha = alpha });
        // The engine's decoder reads it (RGB, alpha dropped); the GUI's own decoder gives the alpha back.
        RgbImage decoded = ImageDecoder.Decode(png, "round-trip.png");
        BgraImage again = PngDecoder.Decode(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(png[25], (byte)(alpha ? 6 : 2)); // IHDR colour type: RGBA or RGB
        ReadOnlySpan<byte> rgb = decoded.Pixels.Span;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                BgraColor c = image.GetPixel(x, y);
                int i = (y * width + x) * 3;
                Assert.Equal((c.R, c.G, c.B), (rgb[i], rgb[i + 1], rgb[i + 2]));
                Assert.Equal(alpha ? c.A : (byte)255, again.GetPixel(x, y).A);
            }
        }

        Assert.Equal(new ImageInfo(width, height, "image/png"), ImageInfo.Read(png));
    }

    [Fact]
    public void LargeImagesSplitIntoSeveralIdatChunks()
    {
        byte[] png = PngEncoder.Encode(Noise(400, 300, 1));
        int idat = 0;
        for (int i = 0; i + 4 <= png.Length; i++)
        {
            if (png[i] == 'I' && png[i + 1] == 'D' && png[i + 2] == 'A' && png[i + 3] == 'T')
            {
                idat++;
            }
        }

        Assert.True(idat >= 5, $"{idat} IDAT chunks");
        Assert.Equal(400, ImageDecoder.Decode(png).Width);
    }

    [Fact]
    public void ImageInfoReadsJpegAndRejectsGarbage()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x03];
        Assert.Equal(new ImageInfo(600, 300, "image/jpeg"), ImageInfo.Read(jpeg));
        var e = Assert.Throws<InvalidDataException>(() => ImageInfo.Read("hello"u8, "x.bin"));
        Assert.Contains("x.bin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BgraImageChecksItsBuffer()
    {
        Assert.Throws<ArgumentException>(() => new BgraImage(new byte[10], 2, 2, 8));
        var image = new BgraImage(4, 3);
        image.SetPixel(3, 2, new BgraColor(1, 2, 3, 4));
        Assert.Equal(new BgraColor(1, 2, 3, 4), image.Crop(2, 1, 2, 2).GetPixel(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Crop(3, 0, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.GetPixel(4, 0));
    }
}
