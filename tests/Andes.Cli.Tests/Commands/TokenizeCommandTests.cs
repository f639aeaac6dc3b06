using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

public sealed class TokenizeCommandTests
{
    [Fact]
    public void PrintsTheTokenizersIds()
    {
        const string text = "Hello <img> 世界!";
        var (code, output, error) = CliRunner.Run("tokenize", "--model", TestModels.TinyFp32Model, text);
        Assert.True(code == 0, error);
        AndesTokenizer tokenizer = AndesTokenizer.Create(Path.Combine(TestModels.TinyFp32Model, "tokenizer.json"));
        Assert.Equal(string.Join(",", tokenizer.EncodeToIds(text)), output.Trim());
        Assert.Contains("151652", output);
    }
}
