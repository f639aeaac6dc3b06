using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

/// <summary>The golden fixtures written by tools/vision/make_fixtures.py (Pillow + NumPy).</summary>
internal static class VisionFixtures
{
    private static readonly Lazy<string> LazyDirectory = new(() => FindDirectory());
    private static readonly Lazy<JsonDocument> LazyManifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "fixtures.json"))));

    public static string Directory => LazyDirectory.Value;

    public static JsonElement Manifest => LazyManifest.Value.RootElement;

    public static IEnumerable<JsonElement> Inputs => Manifest.GetProperty("inputs").EnumerateArray();

    public static IEnumerable<JsonElement> Cases => Manifest.GetProperty("cases").EnumerateArray();

    public static IEnumerable<JsonElement> Geometry => Manifest.GetProperty("geometry").EnumerateArray();

    public static JsonElement Input(string name) => Inputs.Single(i => i.GetProperty("name").GetString() == name);

    public static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(Path.Combine(Directory, relative));

    public static byte[] ReadGzip(string relative)
    {
        using var file = File.OpenRead(Path.Combine(Directory, relative));
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        return memory.ToArray();
    }

    public static float[] ReadFloats(string relative)
    {
        byte[] bytes = ReadGzip(relative);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    public static (int W, int H) Pair(JsonElement e) => (e[0].GetInt32(), e[1].GetInt32());

    /// <summary>The options the Python script used for a case.</summary>
    public static ImageProcessorOptions Options(JsonElement c)
    {
        ImageProcessorOptions options = c.GetProperty("preset").GetString() == "siglip2" ? ImageProcessorOptions.SigLip2 : ImageProcessorOptions.AimV2;
        options.PatchSize = c.GetProperty("patch_size").GetInt32();
        options.MergeSize = c.GetProperty("merge_size").GetInt32();
        options.MaxSize = c.GetProperty("max_size").GetInt32();
        options.MaxLongestSide = c.GetProperty("max_longest_side").GetInt32();
        options.MinTokens = c.GetProperty("min_tokens").GetInt32();
        options.SizingRule = c.GetProperty("rule").GetString() == "andesvl" ? ImageSizingRule.AndesVL : ImageSizingRule.Specification;
        options.Resample = c.GetProperty("resample").GetString() switch
        {
            "bicubic" => ImageResampleFilter.Bicubic,
            "bilinear" => ImageResampleFilter.Bilinear,
            "lanczos" => ImageResampleFilter.Lanczos,
            "hamming" => ImageResampleFilter.Hamming,
            "box" => ImageResampleFilter.Box,
            var other => throw new InvalidOperationException(other),
        };
        options.ImageMean = [.. c.GetProperty("mean").EnumerateArray().Select(v => (float)v.GetDouble())];
        options.ImageStd = [.. c.GetProperty("std").EnumerateArray().Select(v => (float)v.GetDouble())];
        return options;
    }

    private static string FindDirectory([CallerFilePath] string sourceFile = "")
    {
        string besideSource = Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "Fixtures");
        if (File.Exists(Path.Combine(besideSource, "fixtures.json")))
        {
            return besideSource;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Andes.GenAI.Tests", "Vision", "Fixtures");
            if (File.Exists(Path.Combine(candidate, "fixtures.json")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Cannot find the vision fixtures (looked at {besideSource} and above {AppContext.BaseDirectory}).");
    }
}
