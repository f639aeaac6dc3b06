using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

public sealed class ConvertCommandTests
{
    [Fact]
    public void MakeCheckpointThenConvertProducesALoadableFolderAndASummary()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string checkpoint = Path.Combine(temp.Path, "ckpt"), model = Path.Combine(temp.Path, "model");
        var make = CliRunner.Run("make-checkpoint", "--shape", "tiny", "--seed", "5", "--output", checkpoint);
        Assert.True(make.ExitCode == 0, make.Error);
        Assert.True(File.Exists(Path.Combine(checkpoint, "vocab.json")));

        var convert = CliRunner.Run("convert", "--checkpoint", checkpoint, "--output", model, "--precision", "int4", "--block-size", "32", "--context-length", "256");
        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Contains("tensors", convert.Output);
        Assert.Contains("peak memory", convert.Output);
        Assert.Contains("converting: 100%", convert.Output); // redirected: plain progress lines, not a redrawn bar
        using AndesModel loaded = AndesModel.Load(model);
        Assert.Equal(256, loaded.ContextLength);
    }

    [Fact]
    public void UnknownShapeIsRejected()
    {
        var (code, _, error) = CliRunner.Run("make-checkpoint", "--shape", "7b", "--output", "/tmp/never");
        Assert.NotEqual(0, code);
        Assert.Contains("7b", error);
    }
}
