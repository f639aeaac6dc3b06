using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

public sealed class GenerateCommandTests
{
    [Fact]
    public void GreedyIdsFromRawInputIdsEqualTheEngine()
    {
        int[] prompt = [151644, 872, 198, 9707, 151645, 198, 151644, 77091, 198];
        var (code, output, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--input-ids", string.Join(",", prompt), "--max-tokens", "8", "--greedy", "--ids");
        Assert.True(code == 0, error);

        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model);
        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 8 });
        generator.AppendTokens(prompt);
        var expected = new List<int>();
        while (!generator.IsDone)
        {
            expected.Add(generator.GenerateNextToken());
        }

        Assert.Equal(string.Join(",", expected), output.Trim());
    }

    [Theory]
    [InlineData("prompt-lookup", "4")]
    [InlineData("draft:INT4", "3")]
    public void SpeculativeGreedyIdsEqualPlainOnesAndTheLineSaysWhatItDid(string drafter, string draftTokens)
    {
        int[] prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];
        string[] common = ["generate", "--model", TestModels.TinyFp32Model, "--input-ids", string.Join(",", prompt), "--max-tokens", "24", "--greedy", "--ids"];
        var (plainCode, plain, plainError) = CliRunner.Run(common);
        Assert.True(plainCode == 0, plainError);
        var (code, output, error) = CliRunner.Run([.. common, "--speculative", drafter.Replace("INT4", TestModels.TinyInt4Model, StringComparison.Ordinal), "--draft-tokens", draftTokens]);
        Assert.True(code == 0, error);
        Assert.Equal(plain.Trim(), output.Trim());
        Assert.Contains($"speculative ({(drafter == "prompt-lookup" ? "prompt-lookup" : "draft:")}", error, StringComparison.Ordinal);
        Assert.Contains("decoder passes for 24 tokens", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBenchMeasuresTheLeverTheDrafterAndTheImpliedSpeedUp()
    {
        var (code, output, error) = CliRunner.Run("bench", "--model", TestModels.TinyInt4Model, "--speculative", "prompt-lookup", "--draft-tokens", "4", "--runs", "1", "--prompt-lengths", "32", "--decode-tokens", "16");
        Assert.True(code == 0, error);
        Assert.Contains("1. The lever", output, StringComparison.Ordinal);
        Assert.Contains("2. prompt-lookup", output, StringComparison.Ordinal);
        Assert.Contains("3. Implied speed-up", output, StringComparison.Ordinal);

        // On the copied answer every proposal is accepted.
        Assert.Matches(@"│ 4\s+│ [\d.]+\s+│ 100 %", output);
    }

    [Fact]
    public void PromptModePrintsText()
    {
        var (code, output, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--prompt", "Hi", "--max-tokens", "6", "--seed", "3");
        Assert.True(code == 0, error);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    [Fact]
    public void BadInputIdsAreAClearError()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--input-ids", "1,x,3");
        Assert.NotEqual(0, code);
        Assert.Contains("'x'", error);
    }

    [Fact]
    public void PromptAndInputIdsAreExclusive()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model);
        Assert.NotEqual(0, code);
        Assert.Contains("--prompt", error);
    }
}
