using System.Text.Json;
using Andes.GenAI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Vision;

/// <summary>Our processor against Pillow + NumPy goldens (tools/vision/make_fixtures.py), fed Pillow's own decode of each input.</summary>
public sealed class ImageProcessorFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames => [.. VisionFixtures.Cases.Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_the_Pillow_golden(string caseName)
    {
        JsonElement c = VisionFixtures.Case(caseName);
        JsonElement input = VisionFixtures.Input(c.GetProperty("input").GetString()!);
        int width = input.GetProperty("width").GetInt32(), height = input.GetProperty("height").GetInt32();
        byte[] rgb = VisionFixtures.ReadBytes(input.GetProperty("decoded").GetString()!);
        var processor = new ImageProcessor(VisionFixtures.Options(c));

        // Geometry.
        using ProcessedImage processed = processor.Process(rgb, width, height, ImagePixelFormat.Rgb24);
        ImageGeometry g = processed.Geometry;
        Assert.Equal(VisionFixtures.Pair(c.GetProperty("resized")), (g.ResizedWidth, g.ResizedHeight));
        Assert.Equal(VisionFixtures.Pair(c.GetProperty("padded")), (g.PaddedWidth, g.PaddedHeight));
        Assert.Equal(VisionFixtures.Pair(c.GetProperty("offset")), (g.OffsetX, g.OffsetY));
        JsonElement capped = c.GetProperty("capped");
        Assert.Equal(capped.ValueKind != JsonValueKind.Null, g.IsCapped);
        if (g.IsCapped)
        {
            Assert.Equal(VisionFixtures.Pair(capped), (g.CappedWidth, g.CappedHeight));
        }

        Assert.Equal(VisionFixtures.Pair(c.GetProperty("grid")), (g.GridHeight, g.GridWidth));
        Assert.Equal(c.GetProperty("tokens").GetInt32(), processed.TokenCount);
        Assert.Equal(c.GetProperty("num_patches").GetInt32(), processed.PatchCount);
        Assert.Equal(c.GetProperty("patch_dim").GetInt32(), processed.PatchDimension);
        Assert.Equal(processed.PatchCount, g.GridHeight * g.GridWidth);
        Assert.Equal(processed.TokenCount * 4, processed.PatchCount);

        // The 8-bit canvas (resize + paste) before normalisation.
        byte[] expectedCanvas = VisionFixtures.ReadGzip(c.GetProperty("canvas").GetString()!);
        byte[] canvas = processor.RenderCanvas(rgb, width, height, ImagePixelFormat.Rgb24, 0, out ImageGeometry canvasGeometry);
        Assert.Equal(g, canvasGeometry);
        Assert.Equal(expectedCanvas.Length, canvas.Length);
        int canvasExact = 0, canvasMaxDiff = 0;
        for (int i = 0; i < canvas.Length; i++)
        {
            int d = Math.Abs(canvas[i] - expectedCanvas[i]);
            canvasExact += d == 0 ? 1 : 0;
            canvasMaxDiff = Math.Max(canvasMaxDiff, d);
        }

        // The normalised patch matrix.
        float[] expected = VisionFixtures.ReadFloats(c.GetProperty("patches").GetString()!);
        ReadOnlySpan<float> actual = processed.PixelValues.Span;
        Assert.Equal(expected.Length, actual.Length);
        float[] std = [.. c.GetProperty("std").EnumerateArray().Select(v => (float)v.GetDouble())];
        int patchDim = processed.PatchDimension, perChannel = patchDim / 3;
        int exact = 0, outside = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int channel = i % patchDim / perChannel;
            double diff = Math.Abs(actual[i] - expected[i]);
            exact += BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected[i]) ? 1 : 0;
            outside += diff > 2.0 / 255 / std[channel] + 1e-6 ? 1 : 0;
            maxDiff = Math.Max(maxDiff, diff);
        }

        output.WriteLine(
            $"{caseName}: {g}; canvas bytes exact {canvasExact}/{canvas.Length} (max diff {canvasMaxDiff}); "
            + $"values bit-exact {exact}/{expected.Length}, max |diff| {maxDiff:G3}, beyond 2/255/std: {outside}");
        Assert.Equal(0, outside);
        Assert.Equal(canvas.Length, canvasExact);
        Assert.Equal(expected.Length, exact);
    }

    /// <summary>End to end from the encoded file (our decoder), JPEG included: identical to the golden.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Encoded_inputs_match_the_golden_end_to_end(string caseName)
    {
        JsonElement c = VisionFixtures.Case(caseName);
        JsonElement input = VisionFixtures.Input(c.GetProperty("input").GetString()!);
        var processor = new ImageProcessor(VisionFixtures.Options(c));
        using ProcessedImage processed = processor.ProcessFile(Path.Combine(VisionFixtures.Directory, input.GetProperty("file").GetString()!));
        float[] expected = VisionFixtures.ReadFloats(c.GetProperty("patches").GetString()!);
        Assert.Equal(expected, processed.PixelValues.ToArray());
    }
}
