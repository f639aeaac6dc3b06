using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Tests.Imaging;

/// <summary>
/// <see cref="ImageDrawing"/> on SkiaSharp. Shapes are checked pixel for pixel; text only by properties that hold
/// whichever scaler Skia uses on the platform (FreeType here, DirectWrite on Windows, Core Text on macOS): ink inside
/// the measured box, ink present, different strings drawn differently, the same one the same.
/// </summary>
public sealed class ImageDrawingTests
{
    private static readonly BgraColor Paper = BgraColor.White;

    [Fact]
    public void RectanglesAreClippedAndPixelExact()
    {
        var image = new BgraImage(20, 10);
        ImageDrawing.Clear(image, Paper);
        ImageDrawing.FillRectangle(image, -5, -5, 8, 8, BgraColor.Black);
        ImageDrawing.DrawRectangle(image, 10, 2, 6, 6, BgraColor.Black);
        ImageDrawing.DrawRectangle(image, 12, -3, 20, 30, BgraColor.FromRgb(0, 0, 255), thickness: 2);
        AssertPixels(image, (x, y) =>
            (x < 3 && y < 3) ? BgraColor.Black
            : x is 12 or 13 ? BgraColor.FromRgb(0, 0, 255) // the blue outline's left band is all of it inside the image
            : (x >= 10 && x < 16 && y >= 2 && y < 8 && (x == 10 || x == 15 || y == 2 || y == 7)) ? BgraColor.Black
            : Paper);
    }

    [Fact]
    public void ShapesReplaceThePixelsAlphaIncludedAndCrossesCentreOnAPixel()
    {
        var image = new BgraImage(15, 15);
        ImageDrawing.Clear(image, new BgraColor(1, 2, 3, 4));
        Assert.Equal(new BgraColor(1, 2, 3, 4), image.GetPixel(14, 14));
        var translucent = new BgraColor(10, 20, 30, 128);
        ImageDrawing.FillRectangle(image, 1, 1, 3, 2, translucent);
        ImageDrawing.DrawCross(image, 9, 8, 3, BgraColor.Black, thickness: 3);
        AssertPixels(image, (x, y) =>
            x is >= 1 and < 4 && y is >= 1 and < 3 ? translucent
            : (x is >= 6 and <= 12 && y is >= 7 and <= 9) || (x is >= 8 and <= 10 && y is >= 5 and <= 11) ? BgraColor.Black
            : new BgraColor(1, 2, 3, 4));
    }

    [Fact]
    public void FarOffAndEmptyShapesDrawNothingAndDoNotOverflow()
    {
        var image = new BgraImage(8, 8);
        ImageDrawing.Clear(image, Paper);
        ImageDrawing.FillRectangle(image, int.MaxValue - 2, 0, int.MaxValue, 5, BgraColor.Black);
        ImageDrawing.FillRectangle(image, int.MinValue, int.MinValue, 3, 3, BgraColor.Black);
        ImageDrawing.FillRectangle(image, 2, 2, 0, 5, BgraColor.Black);
        ImageDrawing.DrawRectangle(image, 2, 2, -1, 5, BgraColor.Black);
        ImageDrawing.DrawRectangle(image, 2, 2, 5, 5, BgraColor.Black, thickness: 0);
        ImageDrawing.DrawCross(image, int.MaxValue, int.MinValue, int.MaxValue / 2, BgraColor.Black);
        ImageDrawing.DrawText(image, int.MaxValue - 1, int.MinValue, "far away", BgraColor.Black);
        AssertPixels(image, (_, _) => Paper);

        // A rectangle that covers the image from far outside fills all of it.
        ImageDrawing.FillRectangle(image, -1_000_000_000, -1_000_000_000, int.MaxValue, int.MaxValue, BgraColor.Black);
        AssertPixels(image, (_, _) => BgraColor.Black);
    }

    [Fact]
    public void AnImageWhoseStrideIsNotWholePixelsIsDrawnOnAndItsPaddingKept()
    {
        // 5 pixels of 4 bytes and 3 bytes of padding per row: Skia cannot address it directly.
        byte[] pixels = new byte[(23 * 3) + 20];
        Array.Fill(pixels, (byte)0xAB);
        var image = new BgraImage(pixels, 5, 4, 23);
        ImageDrawing.Clear(image, Paper);
        ImageDrawing.FillRectangle(image, 1, 1, 2, 2, BgraColor.Black);
        AssertPixels(image, (x, y) => x is 1 or 2 && y is 1 or 2 ? BgraColor.Black : Paper);
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal([0xAB, 0xAB, 0xAB], pixels.AsSpan((row * 23) + 20, 3).ToArray());
        }
    }

    [Fact]
    public void TextIsDrawnInTheEmbeddedFont()
    {
        Assert.Equal("DejaVu Sans Mono", ImageDrawing.FontFamilyName);
    }

    [Theory]
    [InlineData("Save", 13f)]
    [InlineData("File name: quarterly-report.txt", 16f)]
    [InlineData("gjpqy_|[]{}", 15f)]
    [InlineData("ÀÉÎÕÜ Åå ÇçÑ", 22f)]
    [InlineData("two\nlines", 11f)]
    [InlineData("crlf\r\nline", 9f)]
    [InlineData("Ωμέγα, Жук, ß€→✓", 18f)]
    [InlineData("missing: \U0001F600 中", 14f)]
    [InlineData("W", 7.5f)]
    [InlineData("ANDES", 36f)]
    [InlineData("@#%&*$?!", 64f)]
    public void TextInksOnlyInsideItsMeasuredBox(string text, float size)
    {
        (int width, int height) = ImageDrawing.MeasureText(text, size);
        Assert.True(width > 0 && height > 0, $"{width}x{height}");
        const int margin = 6;
        var image = new BgraImage(width + (2 * margin), height + (2 * margin));
        ImageDrawing.Clear(image, Paper);
        ImageDrawing.DrawText(image, margin, margin, text, BgraColor.Black, size);

        int inked = 0, darkest = 255;
        int left = int.MaxValue, right = -1, top = int.MaxValue, bottom = -1;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor c = image.GetPixel(x, y);
                if (c == Paper)
                {
                    continue;
                }

                inked++;
                darkest = Math.Min(darkest, c.G);
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                Assert.Equal(255, c.A); // blending over an opaque image keeps it opaque
                Assert.True(c.R == c.G && c.G == c.B, $"grey ink expected at {x},{y}: {c}");
            }
        }

        Assert.True(inked > 0, "no ink");
        Assert.True(darkest < (size >= 12 ? 64 : 192), $"the darkest ink is {darkest}"); // small text's strokes are thinner than a pixel
        Assert.True(left >= margin && top >= margin && right < margin + width && bottom < margin + height, $"ink at x {left}..{right}, y {top}..{bottom} outside the measured {width}x{height} box at ({margin},{margin})");

        // The box is not much larger than the ink: at most a character cell's slack on the right, a line's below.
        Assert.InRange(margin + width - 1 - right, 0, (int)Math.Ceiling(size));
        Assert.InRange(margin + height - 1 - bottom, 0, (int)Math.Ceiling(1.2 * size));
    }

    [Fact]
    public void TextIsDeterministicAndDifferentTextsDrawDifferently()
    {
        static byte[] Draw(string text)
        {
            var image = new BgraImage(120, 24);
            ImageDrawing.Clear(image, Paper);
            ImageDrawing.DrawText(image, 2, 2, text, BgraColor.FromRgb(20, 40, 160), 15);
            return image.Pixels;
        }

        Assert.Equal(Draw("Save"), Draw("Save"));
        Assert.NotEqual(Draw("Save"), Draw("Open"));
        Assert.NotEqual(Draw("Save"), Draw("save"));
        Assert.NotEqual(Draw("rn"), Draw("m"));
    }

    [Fact]
    public void TextOnATransparentImageGivesItCoverageAsAlphaAndTheColourUnpremultiplied()
    {
        var image = new BgraImage(60, 30); // transparent black
        var ink = BgraColor.FromRgb(200, 100, 50);
        ImageDrawing.DrawText(image, 2, 2, "Hi!", ink, 20);
        int partial = 0, full = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor c = image.GetPixel(x, y);
                if (c.A == 0)
                {
                    continue;
                }

                _ = c.A == 255 ? full++ : partial++;
                int slack = c.A == 255 ? 0 : 1 + (255 / c.A); // unpremultiplying a low alpha rounds coarsely
                Assert.True(Math.Abs(c.R - ink.R) <= slack && Math.Abs(c.G - ink.G) <= slack && Math.Abs(c.B - ink.B) <= slack, $"{c} at {x},{y}");
            }
        }

        Assert.True(full > 0 && partial > 0, $"{full} opaque and {partial} partly covered pixels");
    }

    [Fact]
    public void MeasurementFollowsLinesCharactersAndSize()
    {
        (int w1, int line) = ImageDrawing.MeasureText("a");
        Assert.Equal((0, line), ImageDrawing.MeasureText(string.Empty));
        Assert.Equal((w1, 3 * line), ImageDrawing.MeasureText("a\nb\nc"));
        Assert.Equal(ImageDrawing.MeasureText("ab\ncde"), ImageDrawing.MeasureText("ab\r\ncde"));
        Assert.Equal(ImageDrawing.MeasureText("abcd\nxy"), ImageDrawing.MeasureText("xy\nabcd"));

        // A monospaced font: ten characters are ten advances of about 0.6 em, whatever the characters.
        int ten = ImageDrawing.MeasureText("abcdefghij", 20).Width;
        Assert.InRange(ten, 119, 122);
        Assert.Equal(ten, ImageDrawing.MeasureText("ABCDEFGHIJ", 20).Width);
        Assert.Equal(ten, ImageDrawing.MeasureText("0123456789", 20).Width);

        // Twice the size, about twice the box.
        (int w13, int h13) = ImageDrawing.MeasureText("Settings", 13);
        (int w26, int h26) = ImageDrawing.MeasureText("Settings", 26);
        Assert.InRange(w26, (2 * w13) - 2, 2 * w13);
        Assert.InRange(h26, (2 * h13) - 2, 2 * h13);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(5000f)]
    public void TextSizesOutsideTheRangeAreRefused(float size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDrawing.MeasureText("a", size));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDrawing.DrawText(new BgraImage(4, 4), 0, 0, "a", BgraColor.Black, size));
    }

    private static void AssertPixels(BgraImage image, Func<int, int, BgraColor> expected)
    {
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor e = expected(x, y), a = image.GetPixel(x, y);
                Assert.True(e == a, $"pixel {x},{y}: expected {e}, got {a}");
            }
        }
    }
}
