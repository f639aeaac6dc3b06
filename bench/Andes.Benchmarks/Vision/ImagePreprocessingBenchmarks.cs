using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Andes.GenAI;
using BenchmarkDotNet.Attributes;

namespace Andes.Benchmarks.Vision;

/// <summary>
/// AndesVL preprocessing of a 1920x1080 PNG screenshot at max_size 733 (-> 980x560 canvas, 2800 patches, 700 tokens),
/// decode and resize/normalise/patchify timed separately; compare with tools/vision/bench_pillow.py (tools/vision/bench.sh runs both).
/// The PNG is read from <c>ANDES_VISION_BENCH_PNG</c> (default /tmp/andes-vision-bench/screenshot_1920x1080.png, which
/// bench_pillow.py writes); when it is missing a synthetic screenshot is encoded here instead.
/// </summary>
/// <remarks>
/// On a shared machine wall time includes waiting for a core; after the runs the class also prints the CPU time per
/// operation (thread CPU time on Linux, process CPU time elsewhere; median of 15), the counterpart of
/// bench_pillow.py's CPU column.
/// </remarks>
[MemoryDiagnoser]
public class ImagePreprocessingBenchmarks
{
    private static int s_cpuReported;
    private byte[] _png = null!;
    private byte[] _rgb = null!;
    private byte[] _bgra = null!;
    private float[] _patches = null!;
    private ImageProcessor _processor = null!;
    private int _width;
    private int _height;

    /// <summary>Loads (or makes) the PNG, decodes it once for the pixel-only benchmarks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string path = Environment.GetEnvironmentVariable("ANDES_VISION_BENCH_PNG") ?? "/tmp/andes-vision-bench/screenshot_1920x1080.png";
        _png = File.Exists(path) ? File.ReadAllBytes(path) : SyntheticScreenshotPng(1920, 1080);
        RgbImage image = ImageDecoder.Decode(_png, path);
        (_width, _height) = (image.Width, image.Height);
        _rgb = image.Pixels.ToArray();
        _bgra = new byte[4 * _width * _height];
        for (int i = 0, j = 0; i < _rgb.Length; i += 3, j += 4)
        {
            _bgra[j] = _rgb[i + 2];
            _bgra[j + 1] = _rgb[i + 1];
            _bgra[j + 2] = _rgb[i];
            _bgra[j + 3] = 255;
        }

        _processor = new ImageProcessor(ImageProcessorOptions.AimV2);
        _patches = new float[_processor.GetGeometry(_width, _height).ValueCount];
        Console.WriteLine($"// {path}: {_png.Length} bytes, {_width}x{_height} -> {_processor.GetGeometry(_width, _height)}");
    }

    /// <summary>Prints CPU time per operation once per process.</summary>
    [GlobalCleanup]
    public void ReportCpuTime()
    {
        if (Interlocked.Exchange(ref s_cpuReported, 1) != 0)
        {
            return;
        }

        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine($"// CPU time per operation ({(OperatingSystem.IsLinux() ? "thread" : "process")} CPU, median of 15; load average {load}):");
        foreach ((string name, Func<int> run) in new (string, Func<int>)[]
        {
            (nameof(Decode), Decode), (nameof(ResizeNormalizePatchify), ResizeNormalizePatchify),
            (nameof(DecodeAndPreprocess), DecodeAndPreprocess), (nameof(ScreenCaptureBgra), ScreenCaptureBgra),
        })
        {
            var samples = new double[15];
            run();
            for (int i = 0; i < samples.Length; i++)
            {
                double before = CpuMilliseconds();
                run();
                samples[i] = CpuMilliseconds() - before;
            }

            Array.Sort(samples);
            Console.WriteLine($"//   {name,-24} CPU median {samples[7],8:F2} ms, min {samples[0],8:F2} ms");
        }
    }

    private static double CpuMilliseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out TimeSpec now) == 0)
        {
            return (now.Seconds * 1000.0) + (now.Nanoseconds / 1e6);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>PNG bytes to packed RGB (SkiaSharp, after the header and structure checks).</summary>
    [Benchmark]
    public int Decode() => ImageDecoder.Decode(_png).Width;

    /// <summary>Decoded RGB to the normalised patch matrix: sizing, Pillow-exact bicubic resize, paste, normalise, patchify.</summary>
    [Benchmark]
    public int ResizeNormalizePatchify() =>
        _processor.ProcessInto(_rgb, _width, _height, ImagePixelFormat.Rgb24, 0, _patches).TokenCount;

    /// <summary>Both steps, as <see cref="ImageProcessor.ProcessEncoded"/> runs them.</summary>
    [Benchmark]
    public int DecodeAndPreprocess()
    {
        using ProcessedImage processed = _processor.ProcessEncoded(_png);
        return processed.TokenCount;
    }

    /// <summary>A BGRA screen capture straight to patches (no encode or decode).</summary>
    [Benchmark]
    public int ScreenCaptureBgra() =>
        _processor.ProcessInto(_bgra, _width, _height, ImagePixelFormat.Bgra32, 0, _patches).TokenCount;

    /// <summary>A deterministic screenshot-like image as a PNG (filter 0 rows, zlib): panels, text strokes, a gradient, noise.</summary>
    private static byte[] SyntheticScreenshotPng(int width, int height)
    {
        var random = new Random(42);
        byte[] raw = new byte[height * ((3 * width) + 1)];
        for (int y = 0; y < height; y++)
        {
            int row = y * ((3 * width) + 1);
            for (int x = 0; x < width; x++)
            {
                int i = row + 1 + (3 * x);
                bool text = y % 18 < 10 && y > 60 && (x / 7 * 31 + y / 18 * 17) % 11 < 6;
                bool photo = x > width - 520 && y > height - 380;
                (byte r, byte g, byte b) = y < 48 ? ((byte)(x * 255 / width), (byte)90, (byte)(255 - (x * 255 / width)))
                    : photo ? ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))
                    : text ? ((byte)40, (byte)40, (byte)40)
                    : ((byte)243, (byte)243, (byte)243);
                (raw[i], raw[i + 1], raw[i + 2]) = (r, g, b);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        using var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        byte[] buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        for (int i = 0; i < 4; i++)
        {
            buffer[4 + i] = (byte)type[i];
        }

        data.CopyTo(buffer, 8);
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in buffer.AsSpan(4, 4 + data.Length))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), crc ^ 0xFFFFFFFFu);
        stream.Write(buffer);
    }
}
