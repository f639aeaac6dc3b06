using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;

namespace Andes.GenAI.Tests.Adapters;

/// <summary>Logits with an adapter active against the reference forward on merged weights; without one, against the base model.</summary>
public sealed class LoraAdapterParityTests(LoraModelFixture fixture) : IClassFixture<LoraModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogitsWithAnAdapterEqualTheReferenceOnMergedWeights(bool useRsLora)
    {
        string peft = TestModels.TinyPeftAdapter(7, rank: 4, useRsLora: useRsLora);
        using LoraAdapter adapter = LoraAdapter.Load(fixture.Model, peft);
        Assert.Equal(4, adapter.Rank);
        Assert.Equal(LoraTargets.All, adapter.Targets);
        Assert.Equal(2 * (4 + 7), adapter.Parameters.Count); // per layer: fused q/k/v A, o A, fused gate/up A, down A, and seven B

        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        ReferenceSession reference = new Qwen3ReferenceModel(config.TextConfig, LoraMerge.WithAdapter(ReferenceWeights.FromTensorSource(source), peft)).CreateSession();

        using var generator = new Generator(fixture.Model, new GenerationOptions { MaxNewTokens = 6 }, adapter);
        generator.AppendTokens(Prompt);
        float[] expected = reference.ForwardLast(Prompt);
        Assert.True(LogitAssert.MaxAbsDiff(generator.GetLogits(), expected) <= 1e-4, $"prompt logits differ by {LogitAssert.MaxAbsDiff(generator.GetLogits(), expected)}");
        while (!generator.IsDone)
        {
            int token = generator.GenerateNextToken();
            Assert.Equal(LogitAssert.ArgMax(expected), token);
            if (generator.IsDone)
            {
                break;
            }

            expected = reference.ForwardLast([token]);
            double diff = LogitAssert.MaxAbsDiff(generator.GetLogits(), expected);
            Assert.True(diff <= 1e-4, $"step logits differ by {diff}");
        }
    }

    [Fact]
    public void TheAdapterVisiblyChangesTheGreedyTokens()
    {
        using LoraAdapter adapter = LoraAdapter.Load(fixture.Model, TestModels.TinyPeftAdapter(7));
        int[] withAdapter = Greedy(fixture.Model, adapter, 16);
        int[] without = Greedy(fixture.Model, null, 16);
        Assert.NotEqual(without, withAdapter);
        Assert.True(withAdapter.Zip(without).Count(p => p.First != p.Second) >= 8, "most tokens should change");
    }

    [Fact]
    public void WithoutAnAdapterTheLogitsEqualTheBaseModel()
    {
        float[] lora = PromptLogits(fixture.Model, null);
        float[] plain = PromptLogits(fixture.BaseModel, null);
        Assert.True(LogitAssert.MaxAbsDiff(lora, plain) <= 1e-6, $"differ by {LogitAssert.MaxAbsDiff(lora, plain)}");
        Assert.Equal(plain, lora);

        // Running an adapter in between leaves no trace: the base logits are bit-identical afterwards.
        using (LoraAdapter adapter = LoraAdapter.Load(fixture.Model, TestModels.TinyPeftAdapter(7)))
        {
            Assert.NotEqual(lora, PromptLogits(fixture.Model, adapter));
        }

        Assert.Equal(lora, PromptLogits(fixture.Model, null));
        Assert.Equal(Greedy(fixture.BaseModel, null, 12), Greedy(fixture.Model, null, 12));

        // The base path runs decoder_base.onnx; the decoder with LoRA inputs, run with none fed, agrees bit for bit.
        Assert.NotSame(fixture.Model.Decoder, fixture.Model.LoraDecoder);
        using var runner = new SequenceRunner(fixture.Model, 64);
        using var noAdapter = new Microsoft.ML.OnnxRuntime.RunOptions();
        runner.Forward(Prompt, null, noAdapter);
        Assert.Equal(lora, runner.Logits.ToArray());
    }

    [Fact]
    public void AConvertedOnnxAdapterGivesTheSameLogitsAsThePeftFolder()
    {
        string peft = TestModels.TinyPeftAdapter(7);
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Path.Combine(temp.Path, "seven.onnx_adapter");
        LoraAdapterConversionResult result = LoraAdapterConverter.Convert(peft, TestModels.TinyFp32LoraModel, file);
        Assert.Equal(2 * (4 + 7), result.ParameterCount); // per layer: fused q/k/v A, o A, fused gate/up A, down A, seven B
        Assert.Equal(new FileInfo(file).Length, result.BytesWritten);

        using LoraAdapter fromFile = LoraAdapter.Load(fixture.Model, file);
        using LoraAdapter fromPeft = LoraAdapter.Load(fixture.Model, peft);
        Assert.Equal("seven", fromFile.Name);
        Assert.Equal(fromPeft.Parameters.Select(p => p.Name), fromFile.Parameters.Select(p => p.Name));
        Assert.Equal(fromPeft.ParameterBytes, fromFile.ParameterBytes);
        Assert.Equal(PromptLogits(fixture.Model, fromPeft), PromptLogits(fixture.Model, fromFile));
    }

    [Fact]
    public void AnAdapterOnSomeProjectionsLeavesTheOthersAtTheirBase()
    {
        string peft = TestModels.TinyPeftAdapter(9, rank: 2, targets: LoraTargets.QProj | LoraTargets.VProj);
        using LoraAdapter adapter = LoraAdapter.Load(fixture.Model, peft);
        Assert.Equal(LoraTargets.QProj | LoraTargets.VProj, adapter.Targets);
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        float[] expected = new Qwen3ReferenceModel(config.TextConfig, LoraMerge.WithAdapter(ReferenceWeights.FromTensorSource(source), peft)).CreateSession().ForwardLast(Prompt);
        Assert.True(LogitAssert.MaxAbsDiff(PromptLogits(fixture.Model, adapter), expected) <= 1e-4);
    }

    internal static float[] PromptLogits(AndesModel model, LoraAdapter? adapter, int[]? prompt = null)
    {
        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 1 }, adapter);
        generator.AppendTokens(prompt ?? Prompt);
        return generator.GetLogits().ToArray();
    }

    internal static int[] Greedy(AndesModel model, LoraAdapter? adapter, int count, int[]? prompt = null)
    {
        var options = new GenerationOptions { MaxNewTokens = count };
        options.StopTokenIds = [];
        using var generator = new Generator(model, options, adapter);
        generator.AppendTokens(prompt ?? Prompt);
        var tokens = new List<int>();
        while (!generator.IsDone)
        {
            tokens.Add(generator.GenerateNextToken());
        }

        return [.. tokens];
    }
}
