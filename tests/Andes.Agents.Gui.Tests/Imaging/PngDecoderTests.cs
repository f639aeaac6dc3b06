using Andes.Agents.Gui;

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
    public void DecodesLikePillow(string name)
    {
        // decoded/<name>.rgb is Pillow's convert("RGB") of each fixture (tools/vision/make_fixtures.py): alpha dropped.
        byte[] bytes = File.ReadAllBytes(Path.Combine(Fixtures(), name));
        BgraImage image = PngDecoder.Decode(bytes, name);
        byte[] expected = File.ReadAllBytes(Path.Combine(Fixtures(), "..", "decoded", Path.ChangeExtension(name, ".rgb")));
        Assert.Equal(expected.Length, 3 * image.Width * image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                BgraColor c = image.GetPixel(x, y);
                int i = 3 * (y * image.Width + x);
                Assert.True(
                    (c.R, c.G, c.B) == (expected[i], expected[i + 1], expected[i + 2]),
                    $"{name} ({x},{y}): {c} vs {expected[i]},{expected[i + 1]},{expected[i + 2]}");
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
        byte[] bomb = (byte[])png.Clone();
        bomb[16] = 0x7F; // IHDR width 2^31 - 1 (rejected from the header, before Skia sees the data)
        bomb[17] = bomb[18] = bomb[19] = 0xFF;
        Assert.Contains("above", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(bomb, "shot.png")).Message, StringComparison.Ordinal);
    }
}
