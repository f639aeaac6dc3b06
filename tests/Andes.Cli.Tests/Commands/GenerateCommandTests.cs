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
