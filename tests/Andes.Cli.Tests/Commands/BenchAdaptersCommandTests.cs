using Andes.Benchmarking;
using Andes.Cli.Commands;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

public sealed class BenchAdaptersCommandTests
{
    [Fact]
    public void TheTrafficLineGivesEachAdaptersShareOfTheBytesReadPerTokenAndItsCeiling()
    {
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32LoraModel);
        using LoraAdapter adapter = LoraAdapter.Load(model, TestModels.TinyPeftAdapter(7), "seven");
        long weights = ModelFlopCounter.Load(TestModels.TinyFp32LoraModel).DecoderBytesPerToken;
        Assert.True(weights > 0);

        string? line = BenchAdaptersCommand.DecodeTrafficLine(TestModels.TinyFp32LoraModel, [adapter]);

        Assert.NotNull(line);
        Assert.Contains($"decoder weights {weights / 1048576.0:F1} MiB", line, StringComparison.Ordinal);
        Assert.Contains($"seven {adapter.ParameterBytes / 1048576.0:F1} MiB", line, StringComparison.Ordinal);
        Assert.Contains($"ceiling {(double)weights / (weights + adapter.ParameterBytes):P1} of base", line, StringComparison.Ordinal);
        Assert.Null(BenchAdaptersCommand.DecodeTrafficLine(TestModels.TinyFp32LoraModel, []));
        Assert.Null(BenchAdaptersCommand.DecodeTrafficLine(Path.GetTempPath(), [adapter])); // no conversion log there
    }
}
