using Andes.Agents.Gui;
using StbImageSharp;

namespace Andes.Agents.Gui.Tests.Imaging;

public sealed class PngDecoderTests
{
    private static string Fixtures()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Andes.GenAI.Tests", "Vision", "Fixtures", "inputs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/Andes.GenAI.Tests/Vision/Fixtures/inputs not found above '{AppContext.BaseDirectory}'.");
    }

    public static TheoryData<string> FixturePngs() => [.. Directory.GetFiles(Fixtures(), "*.png").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(FixturePngs))]
    public void DecodesLikeStbImage(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Fixtures(), name));
        BgraImage image = PngDecoder.Decode(bytes, name);
        ImageResult expected = ImageResult.FromMemory(bytes, ColorComponents.RedGreenBlueAlpha);
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor c = image.GetPixel(x, y);
                int i = 4 * (y * image.Width + x);
                Assert.True(
                    (c.R, c.G, c.B, c.A) == (expected.Data[i], expected.Data[i + 1], expected.Data[i + 2], expected.Data[i + 3]),
                    $"{name} ({x},{y}): {c} vs {expected.Data[i]},{expected.Data[i + 1]},{expected.Data[i + 2]},{expected.Data[i + 3]}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsTheEncoder(bool alpha)
    {
        var image = new BgraImage(123, 45);
        new Random(9).NextBytes(image.Pixels);
        ImageDrawing.FillRectangle(image, 10, 10, 60, 20, BgraColor.FromRgb(1, 2, 3)); // flat areas pick other filters than noise
        BgraImage decoded = PngDecoder.Decode(PngEncoder.Encode(image, new PngEncoderOptions { IncludeAlpha = alpha }));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor e = image.GetPixel(x, y), a = decoded.GetPixel(x, y);
                Assert.Equal((e.R, e.G, e.B, alpha ? e.A : (byte)255), (a.R, a.G, a.B, a.A));
            }
        }
    }

    [Fact]
    public void BadFilesAreTypedErrorsNamingTheFile()
    {
        byte[] png = PngEncoder.Encode(new BgraImage(20, 20));
        Assert.Contains("shot.png: not a PNG", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode("GIF89a...."u8, "shot.png")).Message, StringComparison.Ordinal);
        Assert.Contains("shot.png: truncated", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png.AsSpan(0, png.Length - 20), "shot.png")).Message, StringComparison.Ordinal);
        byte[] interlaced = (byte[])png.Clone();
        interlaced[8 + 8 + 12] = 1; // IHDR interlace byte (CRCs are not checked)
        Assert.Contains("interlaced", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(interlaced, "shot.png")).Message, StringComparison.Ordinal);
    }
}
