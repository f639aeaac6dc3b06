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
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: no model folder '/no/such/model'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderThatIsNoModelIsOneErrorLineAndExitCode1()
    {
        using TemporaryDirectory empty = TestModels.CreateTemporaryDirectory();
        var (code, _, error) = CliRunner.Run("generate", "--model", empty.Path, "--prompt", "hi");
        Assert.Equal(1, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(empty.Path, line, StringComparison.Ordinal);
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
}
