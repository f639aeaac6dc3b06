using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;

namespace Andes.GenAI.Tests.Generation;

/// <summary>
/// The engine on decoder folders in the other layouts of the ONNX Runtime GenAI format (written by the builder in
/// those shapes): same logits and tokens as the default layout.
/// </summary>
public sealed class DecoderLayoutTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    public static TheoryData<string> Layouts => ["ids+int32+positions", "combined", "standard", "standard+combined+ids+int32+positions"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void LayoutGivesTheSameLogitsAndTokens(string name)
    {
        DecoderLayout layout = Parse(name);
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, new ModelConversionOptions { Precision = WeightPrecision.Float32, ContextLength = 512, Layout = layout });
        using AndesModel model = AndesModel.Load(temp.Path);
        Assert.Equal(layout.SharesPastPresentBuffer, model.Signature.SharesPastPresentBuffer);
        Assert.Equal(layout.TokenIdsInput, model.Embedding is null);
        Assert.Equal(layout.Int32Inputs, model.Signature.Int32Mask);

        var options = new GenerationOptions { MaxNewTokens = 8 };
        using var expected = new Generator(fixture.Model, options);
        using var actual = new Generator(model, options);
        expected.AppendTokens(Prompt);
        actual.AppendTokens(Prompt);
        double worst = 0;
        while (!expected.IsDone)
        {
            worst = Math.Max(worst, LogitAssert.MaxAbsDiff(expected.GetLogits(), actual.GetLogits()));
            Assert.Equal(expected.GenerateNextToken(), actual.GenerateNextToken());
        }

        Assert.True(worst <= 1e-4, $"{layout}: logits differ by {worst:G3}");
    }

    [Fact]
    public void ChainedCacheRewindsForPrefixReuse()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        ModelConverter.Convert(TestModels.TinyCheckpoint, temp.Path, new ModelConversionOptions { Precision = WeightPrecision.Float32, ContextLength = 512, Layout = Parse("standard") });
        using AndesModel model = AndesModel.Load(temp.Path);
        var options = new GenerationOptions { MaxNewTokens = 6 };
        using var runner = new SequenceRunner(model, 64);
        int[] firstTokens;
        using (var first = new Generator(model, options, runner, null))
        {
            first.AppendTokens(Prompt);
            while (!first.IsDone)
            {
                first.GenerateNextToken();
            }

            firstTokens = [.. first.Tokens];
        }

        // The follow-up shares the prompt and the first generated token, then differs.
        int[] followUp = [.. firstTokens[..(Prompt.Length + 1)], 9707, 30, .. Prompt];
        int[] fresh = GeneratorTests.GenerateAll(model, followUp, options);
        using var second = new Generator(model, options, runner, null);
        second.ReuseCachedPrefix(firstTokens, followUp);
        Assert.Equal(Prompt.Length + 1, second.ReusedTokenCount);
        Assert.Equal(Prompt.Length + 1, runner.Length);
        second.AppendTokens(followUp);
        var tokens = new List<int>();
        while (!second.IsDone)
        {
            tokens.Add(second.GenerateNextToken());
        }

        Assert.Equal(fresh, tokens);
    }

    private static DecoderLayout Parse(string name)
    {
        string[] parts = name.Split('+');
        return new DecoderLayout
        {
            TokenIdsInput = parts.Contains("ids"),
            Int32Inputs = parts.Contains("int32"),
            PositionIds = parts.Contains("positions"),
            CombinedKeyValues = parts.Contains("combined"),
            StandardAttention = parts.Contains("standard"),
        };
    }
}
