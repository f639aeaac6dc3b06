using System.Globalization;
using System.Text.RegularExpressions;
using Andes.Agents.Gui;
using Andes.Benchmarking;
using Andes.Cli.Commands;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.Cli.Tests.Commands;

/// <summary><c>andes bench-vision</c> on the tiny model, few runs (the figures themselves go to bench/README.md).</summary>
public sealed partial class BenchVisionCommandTests
{
    [Fact]
    public void OnTheTinyModelPrintsEveryStageAndTheFlopCountsOfTheCounter()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string screenshot = Path.Combine(temp.Path, "screenshot.png");
        byte[] png = PngEncoder.Encode(SyntheticScreenshot.Render(1280, 720, seed: 3));
        File.WriteAllBytes(screenshot, png);

        var (code, output, error) = CliRunner.Run(
            "bench-vision", "--model", TestModels.TinyInt4Model, "--screenshot", screenshot, "--no-python",
            "--runs", "2", "--warmup", "0", "--model-runs", "1", "--model-warmup", "0");
        Assert.True(code == 0, error + output);
        string prose = Flat(output);

        // Part 1: the 1920x1080 PNG, decode and resize/normalise/patchify separately, the Pillow column explained.
        Assert.Contains("1920 x 1080", prose, StringComparison.Ordinal);
        Assert.Contains("canvas 980 x 560, 2800 patches of 588, 700 tokens", prose, StringComparison.Ordinal);
        Assert.Contains("Pillow + NumPy: not available: skipped (--no-python)", prose, StringComparison.Ordinal);

        // Part 2: every stage, and each FLOP row equal to the counter's count for this image and prompt.
        using AndesModel model = AndesModel.Load(TestModels.TinyInt4Model);
        List<ChatMessage> messages = [new(ChatRole.User, [new DataContent(png, "image/png"), new TextContent("Describe this screenshot.")])];
        EncodedPrompt encoded = model.Encode(AndesChatClientPromptRenderer.Render(messages));
        var geometry = encoded.Images[0].Geometry;
        Assert.Equal((980, 560, 700), (geometry.PaddedWidth, geometry.PaddedHeight, geometry.TokenCount));
        Assert.Contains($"prompt {encoded.Length} tokens (700 image + 2 <img></img>", prose, StringComparison.Ordinal);

        Assert.Equal(2, Regex.Matches(output, Regex.Escape("│ decode (PNG -> RGB) ")).Count); // both parts
        Assert.Equal(2, Regex.Matches(output, Regex.Escape("│ resize + normalise + patchify ")).Count);
        foreach (string stage in new[]
        {
            "│ vision.onnx (tower + connector)", $"│ prompt prefill ({encoded.Length} tokens)", "│ total (sum of the stages)",
            "│ Generator.AppendPrompt (all in one call)",
        })
        {
            Assert.Matches(@"│ [\d.,]+ ms\s+│ [\d.,]+ ms\s+│ [\d.,]+ ms\s+│", Line(output, stage));
        }

        ModelFlopCounter counter = ModelFlopCounter.Load(TestModels.TinyInt4Model);
        VisionFlops vision = counter.CountVision(geometry.PatchCount, geometry.TokenCount);
        PrefillFlops prefill = counter.CountPrefill(encoded.Length);
        Assert.Equal(vision.PatchEmbedding, Count(output, "vision: patch projection"));
        Assert.Equal(vision.PositionTable, Count(output, "vision: position table"));
        Assert.Equal(vision.TrunkLinears, Count(output, "vision: trunk linears (2 layers)"));
        Assert.Equal(vision.Attention, Count(output, "vision: attention (2 layers, d 64)"));
        Assert.Equal(vision.Connector, Count(output, "vision: connector"));
        Assert.Equal(vision.Total, Count(output, "vision.onnx total"));
        Assert.Equal(prefill.Linears, Count(output, "prefill: decoder linears (2 layers)"));
        Assert.Equal(prefill.Attention, Count(output, "prefill: causal attention (2 layers, d 128)"));
        Assert.Equal(prefill.LmHead, Count(output, "prefill: lm_head"));
        Assert.Equal(prefill.Total, Count(output, "prefill total"));
        Assert.Contains("2*n*(n+1)*d per decoder layer", prose, StringComparison.Ordinal);

        // The GFLOP column of the timing table is the same count.
        Assert.Contains(FormattableString.Invariant($"{vision.Total / 1e9:F3}"), Line(output, "│ vision.onnx (tower + connector)"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPillowTheComparisonSaysWhy()
    {
        var (code, output, error) = CliRunner.Run("bench-vision", "--python", "/nonexistent/python3", "--runs", "1", "--warmup", "0");
        Assert.True(code == 0, error + output);
        Assert.Contains("Pillow + NumPy: not available: /nonexistent/python3: not found", Flat(output), StringComparison.Ordinal);
        string decode = Line(output, "│ decode (PNG -> RGB)");
        Assert.Matches(@"│ decode \(PNG -> RGB\)\s+│ [\d.,]+ ms\s+│ [\d.,]+ ms\s+│ [\d.,]+ ms\s+│ -\s+│ -\s+│ -\s+│ -\s+│", decode);
        Assert.DoesNotContain("vision.onnx", output, StringComparison.Ordinal);
    }

    /// <summary>The output with wrapped prose joined again.</summary>
    private static string Flat(string output) => output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal);

    private static string Line(string output, string start) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith(start, StringComparison.Ordinal));

    /// <summary>The count column (the first cell holding only digits and commas) of a FLOP table row.</summary>
    private static long Count(string output, string row)
    {
        Match cell = NumericCell().Match(Line(output, "│ " + row + " "));
        Assert.True(cell.Success, row);
        return long.Parse(cell.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"│\s*([\d,]+)\s*│")]
    private static partial Regex NumericCell();
}
