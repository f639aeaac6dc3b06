using System.Text.Json;
using System.Text.RegularExpressions;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary><c>make-grounding-set</c> and <c>eval-grounding</c> with the oracle and with the tiny model through the real engine.</summary>
public sealed partial class GroundingCommandTests
{
    [GeneratedRegex(@"score: (\d+)/(\d+) hits \((\d+\.\d\d)%\), (\d+) rejected \(no coordinates (\d+), malformed (\d+), out of range (\d+), outside image (\d+)\), (\d+) box answers")]
    private static partial Regex ScoreLine();

    private static (int Hits, int Count, int Rejected, int ReasonSum) Score(string output)
    {
        Match m = ScoreLine().Match(output);
        Assert.True(m.Success, output);
        int G(int i) => int.Parse(m.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (G(1), G(2), G(4), G(5) + G(6) + G(7) + G(8));
    }

    [Fact]
    public void TheOracleScoresAllAndTheTinyModelIsScoredThroughTheEngine()
    {
        using var dir = new TemporaryDirectory();
        string set = Path.Combine(dir.Path, "set");
        var (code, output, error) = CliRunner.Run("make-grounding-set", "--output", set, "--count", "6", "--seed", "3");
        Assert.True(code == 0, error);
        Assert.Contains("6 samples on 2 images", output, StringComparison.Ordinal);
        string dataset = Path.Combine(set, "screenspot.json");

        // The oracle, with the file bytes and with raw pixels, scores 100 %.
        foreach (string[] extra in new[] { Array.Empty<string>(), ["--raw-pixels"] })
        {
            (code, output, error) = CliRunner.Run(["eval-grounding", "--dataset", dataset, "--oracle", .. extra]);
            Assert.True(code == 0, error);
            Assert.Equal((6, 6, 0, 0), Score(output));
            Assert.Contains("score: 6/6 hits (100.00%)", output, StringComparison.Ordinal);
        }

        // The tiny random model through the real engine: it completes and is scored honestly (its answers are noise;
        // the counts must add up, the score itself is not asserted).
        string json = Path.Combine(dir.Path, "tiny.json");
        (code, output, error) = CliRunner.Run("eval-grounding", "--dataset", dataset, "--model", TestModels.TinyFp32Model, "--max-tokens", "8", "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("images max_size 733, patch 14, AndesVL rule; sent as file bytes", output, StringComparison.Ordinal);
        Assert.Contains("evaluated 6 samples", output, StringComparison.Ordinal);
        (int hits, int count, int rejected, int reasons) = Score(output);
        Assert.Equal(6, count);
        Assert.Equal(rejected, reasons);
        Assert.InRange(hits + rejected, 0, 6);
        Assert.Matches(@"\nall\s+6\s+\d+\s+\d+\.\d\d%\s+\d+", output);
        JsonElement report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("tiny-fp32", report.GetProperty("model").GetString());
        string[] answers = [.. report.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("answer").GetString()!)];
        Assert.Equal(6, answers.Length);
        Assert.Equal(rejected, report.GetProperty("samples").EnumerateArray().Count(s => s.GetProperty("rejected").ValueKind == JsonValueKind.String));

        // Raw pixels decoded by the GUI reach the engine's processor with the same values the engine decodes from the
        // PNG, so greedy answers are identical.
        string rawJson = Path.Combine(dir.Path, "tiny-raw.json");
        (code, output, error) = CliRunner.Run("eval-grounding", "--dataset", dataset, "--model", TestModels.TinyFp32Model, "--max-tokens", "8", "--limit", "2", "--raw-pixels", "--json", rawJson);
        Assert.True(code == 0, error);
        Assert.Contains("sent as raw pixels", output, StringComparison.Ordinal);
        Assert.Equal(2, Score(output).Count);
        string[] rawAnswers = [.. JsonDocument.Parse(File.ReadAllText(rawJson)).RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("answer").GetString()!)];
        Assert.Equal(answers[..2], rawAnswers);
    }

    [Fact]
    public void EvalGroundingNeedsExactlyOneOfModelAndOracle()
    {
        var (code, _, error) = CliRunner.Run("eval-grounding", "--dataset", "x.json");
        Assert.NotEqual(0, code);
        Assert.Contains("exactly one of --model and --oracle", error, StringComparison.Ordinal);
    }
}
