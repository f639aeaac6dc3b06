using System.Diagnostics;
using System.Runtime.InteropServices;
using SkiaSharp;
using StbImageSharp;

// Issue 16 item 1: SkiaSharp against StbImageSharp, the measurements behind "one imaging library" (bench/README.md).
//   dotnet run -c Release --project bench/Andes.ImagingBench -- [--runs N] [--fixtures DIR]
// 1. Decode time of a 1920x1080 PNG and JPEG (a synthetic screen-like picture encoded once by Skia; both libraries
//    decode the same bytes to packed RGB, the engine's layout), median of N runs after two warm-up runs.
// 2. JPEG agreement with Pillow: the engine's JPEG fixtures against the RGB bytes Pillow decoded
//    (tests/Andes.GenAI.Tests/Vision/Fixtures/decoded, written by tools/vision/make_fixtures.py), and, with --pillow DIR,
//    the 1920x1080 picture as JPEG with 4:2:0, 4:2:2 and 4:4:4 chroma written to DIR, which
//    bench/Andes.ImagingBench/pillow_decode.py decodes with Pillow (DIR/<name>.rgb); run this twice (write, compare).
int runs = 30;
string fixtures = "tests/Andes.GenAI.Tests/Vision/Fixtures";
string? pillowDir = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs") { runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); }
    else if (args[i] == "--fixtures") { fixtures = args[++i]; }
    else if (args[i] == "--pillow") { pillowDir = args[++i]; }
}

Console.WriteLine($"SkiaSharp {typeof(SKCodec).Assembly.GetName().Version}, StbImageSharp {typeof(ImageResult).Assembly.GetName().Version}, {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores, {runs} runs");

(byte[] png, byte[] jpeg) = MakeScreen(1920, 1080);
Console.WriteLine($"1920x1080 inputs: PNG {png.Length} bytes, JPEG (quality 90, 4:2:0) {jpeg.Length} bytes");
foreach ((string format, byte[] data) in new[] { ("PNG", png), ("JPEG", jpeg) })
{
    double stb = Median(runs, () => DecodeStb(data));
    double skia = Median(runs, () => DecodeSkia(data));
    Console.WriteLine($"decode {format,-4} 1920x1080 to RGB: StbImageSharp {stb,7:F2} ms, SkiaSharp {skia,7:F2} ms (medians)");
}

foreach (string name in new[] { "photo_120x90", "photo_97x61" })
{
    byte[] data = File.ReadAllBytes(Path.Combine(fixtures, "inputs", name + ".jpg"));
    byte[] pillow = File.ReadAllBytes(Path.Combine(fixtures, "decoded", name + ".rgb"));
    Console.WriteLine($"{name}.jpg against Pillow: StbImageSharp {Compare(DecodeStb(data), pillow)}; SkiaSharp {Compare(DecodeSkia(data), pillow)}");
}

if (pillowDir is not null)
{
    Directory.CreateDirectory(pillowDir);
    foreach ((string name, SKJpegEncoderDownsample downsample) in new[]
    {
        ("screen_420", SKJpegEncoderDownsample.Downsample420),
        ("screen_422", SKJpegEncoderDownsample.Downsample422),
        ("screen_444", SKJpegEncoderDownsample.Downsample444),
    })
    {
        string jpegPath = Path.Combine(pillowDir, name + ".jpg"), rgbPath = Path.Combine(pillowDir, name + ".rgb");
        if (!File.Exists(jpegPath))
        {
            File.WriteAllBytes(jpegPath, MakeJpeg(1920, 1080, downsample));
        }

        if (!File.Exists(rgbPath))
        {
            Console.WriteLine($"{jpegPath} written; decode it with Pillow (pillow_decode.py {pillowDir}) and run again");
            continue;
        }

        byte[] data = File.ReadAllBytes(jpegPath), pillow = File.ReadAllBytes(rgbPath);
        Console.WriteLine($"{name}.jpg (1920x1080) against Pillow: StbImageSharp {Compare(DecodeStb(data), pillow)}; SkiaSharp {Compare(DecodeSkia(data), pillow)}");
    }
}

return 0;

static byte[] MakeJpeg(int width, int height, SKJpegEncoderDownsample downsample)
{
    byte[] png = MakeScreen(width, height).Png;
    using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("PNG decoding failed");
    using var pixmap = bitmap.PeekPixels() ?? throw new InvalidOperationException("no pixels");
    using SKData jpeg = pixmap.Encode(new SKJpegEncoderOptions(90, downsample, SKJpegEncoderAlphaOption.Ignore)) ?? throw new InvalidOperationException("JPEG encoding failed");
    return jpeg.ToArray();
}

static string Compare(byte[] actual, byte[] expected)
{
    if (actual.Length != expected.Length)
    {
        return $"{actual.Length} bytes, Pillow {expected.Length}";
    }

    int differing = 0, max = 0;
    for (int i = 0; i < actual.Length; i++)
    {
        int d = Math.Abs(actual[i] - expected[i]);
        differing += d == 0 ? 0 : 1;
        max = Math.Max(max, d);
    }

    return $"max |diff| {max}, {differing}/{actual.Length} values differ ({100.0 * differing / actual.Length:F2} %)";
}

static byte[] DecodeStb(byte[] data) => ImageResult.FromMemory(data, ColorComponents.RedGreenBlue).Data;

static unsafe byte[] DecodeSkia(byte[] data)
{
    // As the engine would: decode to RGBA once (Skia has no packed 24-bit colour type), then pack to RGB.
    using var skData = SKData.CreateCopy(data);
    using var codec = SKCodec.Create(skData) ?? throw new InvalidDataException("not decodable");
    var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
    byte[] rgba = new byte[info.BytesSize];
    fixed (byte* p = rgba)
    {
        SKCodecResult result = codec.GetPixels(info, (IntPtr)p);
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new InvalidDataException(result.ToString());
        }
    }

    byte[] rgb = new byte[info.Width * info.Height * 3];
    for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
    {
        rgb[j] = rgba[i];
        rgb[j + 1] = rgba[i + 1];
        rgb[j + 2] = rgba[i + 2];
    }

    return rgb;
}

static double Median(int runs, Func<byte[]> decode)
{
    decode();
    decode();
    var times = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        decode();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(times);
    return runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
}

static (byte[] Png, byte[] Jpeg) MakeScreen(int width, int height)
{
    // A screen-like picture: flat panels, gradients, a noisy photo area, so neither format is trivially small.
    using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(new SKColor(236, 239, 244));
        using var paint = new SKPaint { IsAntialias = true };
        var random = new Random(16);
        for (int i = 0; i < 40; i++)
        {
            paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            canvas.DrawRect(random.Next(width), random.Next(height), random.Next(20, 400), random.Next(10, 120), paint);
        }

        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
            [SKColors.SteelBlue, SKColors.Orange], SKShaderTileMode.Clamp);
        paint.Shader = shader;
        canvas.DrawRect(width / 2, height / 2, width / 3, height / 3, paint);
    }

    var random2 = new Random(61);
    for (int y = 100; y < 500; y++)
    {
        for (int x = 100; x < 700; x++)
        {
            bitmap.SetPixel(x, y, new SKColor((byte)(x + random2.Next(40)), (byte)(y + random2.Next(40)), (byte)random2.Next(256)));
        }
    }

    using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
    using SKData jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
    return (png.ToArray(), jpeg.ToArray());
}
