using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary>A user mistake ends in one line <c>error: ...</c> on stderr and exit code 2 (usage) or 1 (failure); the stack trace only with --verbose.</summary>
public sealed class ErrorReportingTests
{
    [Fact]
    public void AMissingModelIsOneErrorLineAndExitCode2()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", "/no/such/model", "--prompt", "hi");
        Assert.Equal(2, code);
        string line = SingleErrorLine(error);
        Assert.StartsWith("error: no model folder '/no/such/model'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderThatIsNoModelIsOneErrorLineAndExitCode1()
    {
        using TemporaryDirectory empty = TestModels.CreateTemporaryDirectory();
        var (code, _, error) = CliRunner.Run("generate", "--model", empty.Path, "--prompt", "hi");
        Assert.Equal(1, code);
        string line = SingleErrorLine(error);
        Assert.Contains(empty.Path, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageErrorsExitWith2()
    {
        var (code, _, error) = CliRunner.Run("generate", "--prompt", "hi");
        Assert.Equal(2, code);
        Assert.Equal("error: Option '--model' is required.", error.Trim());

        (code, _, error) = CliRunner.Run("no-such-command");
        Assert.Equal(2, code);
        Assert.Contains("error: Unrecognized command or argument 'no-such-command'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VerboseShowsTheExceptionAndItsStackTrace()
    {
        using TemporaryDirectory empty = TestModels.CreateTemporaryDirectory();
        var (code, _, error) = CliRunner.Run("generate", "--model", empty.Path, "--prompt", "hi", "--verbose");
        Assert.Equal(1, code);
        Assert.Contains("Andes.GenAI.ModelConfigurationException", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    // The model path does not exist: had the model been loaded first, the error would be about the model (exit 1).
    [Theory]
    [InlineData("--temperature -1", "error: --temperature -1: give a value from 0 to 100")]
    [InlineData("--top-p 5", "error: --top-p 5: give a value from 0 to 1")]
    [InlineData("--max-tokens 0", "error: --max-tokens 0: give a value of at least 1")]
    [InlineData("--top-k -3", "error: --top-k -3: give a value of at least 0")]
    [InlineData("--repetition-penalty 0", "error: --repetition-penalty 0: give a number greater than 0")]
    [InlineData("--temperature abc", "error: --temperature: 'abc' is not a number.")]
    [InlineData("--seed 1.5", "error: --seed: '1.5' is not a whole number.")]
    [InlineData("--greedy --temperature 0.7", "error: --greedy and --temperature contradict each other")]
    [InlineData("--greedy --top-p 0.9", "error: --greedy and --top-p contradict each other")]
    [InlineData("--engine tensorrt", "error: --engine: 'tensorrt' is not an engine")]
    [InlineData("--image /no/such/screen.png", "error: --image /no/such/screen.png: the file does not exist.")]
    [InlineData("--adapter /no/such/adapter", "error: --adapter /no/such/adapter: no such file or folder")]
    [InlineData("--speculative medusa", "error: --speculative medusa: give prompt-lookup or draft:FOLDER")]
    [InlineData("--speculative draft:/no/such/draft", "error: --speculative draft:/no/such/draft: no model folder '/no/such/draft'")]
    [InlineData("--speculative prompt-lookup --draft-tokens 0", "error: --draft-tokens 0: give a value from 1 to 32")]
    [InlineData("--draft-tokens 4", "error: --draft-tokens needs --speculative")]
    public void BadValuesAreUsageErrorsBeforeAnyModelLoads(string flags, string expected)
    {
        var (code, _, error) = CliRunner.Run(["generate", "--model", "/no/such/model", "--prompt", "hi", .. flags.Split(' ')]);
        Assert.Equal(2, code);
        string line = SingleErrorLine(error);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal); // no .NET type names
    }

    [Theory]
    [InlineData("convert --checkpoint /no/ckpt --output /no/out --block-size 20", "error: --block-size 20: give a power of two from 16 to 256")]
    [InlineData("convert --checkpoint /no/ckpt --output /no/out --precision int3", "error: --precision: 'int3' is not one of int4, int8, fp32.")]
    [InlineData("bench --model /no/such/model --prompt-lengths 10,abc", "error: --prompt-lengths: 'abc' is not a positive token count.")]
    [InlineData("bench --model /no/such/model --threads abc", "error: --threads: 'abc' is not a thread count")]
    [InlineData("bench --model /no/such/model --runs 0", "error: --runs 0: give a value of at least 1")]
    [InlineData("describe --model /no/such/model", "error: describe needs its IMAGE argument: The image file to describe")]
    [InlineData("describe --model /no/such/model /no/such/image.png", "error: IMAGE /no/such/image.png: the file does not exist.")]
    [InlineData("verify", "error: verify needs its FOLDER argument")]
    public void OtherCommandsCheckTheirValuesFirstToo(string command, string expected)
    {
        var (code, _, error) = CliRunner.Run(command.Split(' '));
        Assert.Equal(2, code);
        string line = SingleErrorLine(error);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void ATextFileGivenAsAnImageIsAUsageError()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string notes = Path.Combine(temp.Path, "notes.png");
        File.WriteAllText(notes, "these are notes, not a picture");
        var (code, _, error) = CliRunner.Run("generate", "--model", "/no/such/model", "--prompt", "hi", "--image", notes);
        Assert.Equal(2, code);
        string line = SingleErrorLine(error);
        Assert.StartsWith("error: --image: ", line, StringComparison.Ordinal);
        Assert.Contains("notes.png", line, StringComparison.Ordinal);
        Assert.Contains("is not a PNG, JPEG, BMP or GIF image", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSkillNamesTheSkillsFile()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--prompt", "hi", "--skill", "nope");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --skill nope: the model folder", error, StringComparison.Ordinal);
        Assert.Contains("skills.json", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATruncatedWeightFileIsOneLineNamingIt(bool withManifest)
    {
        using TemporaryDirectory copy = TestModels.CopyModel(TestModels.TinyFp32Model, withManifest);
        string data = Path.Combine(copy.Path, "decoder.onnx.data");
        using (var stream = new FileStream(data, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var (code, _, error) = CliRunner.Run("generate", "--model", copy.Path, "--prompt", "hi", "--max-tokens", "2");
        Assert.Equal(1, code);
        string line = SingleErrorLine(error);
        Assert.Contains("decoder.onnx", line, StringComparison.Ordinal);
    }

    /// <summary>The one line of stderr, checked to be an error line with no stack trace.</summary>
    private static string SingleErrorLine(string error)
    {
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        return line;
    }
}
