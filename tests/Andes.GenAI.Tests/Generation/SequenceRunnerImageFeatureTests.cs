using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;

namespace Andes.GenAI.Tests.Generation;

/// <summary>The engine's embedding step with image feature rows scattered into the <c>&lt;|vision_pad|&gt;</c> positions.</summary>
public sealed class SequenceRunnerImageFeatureTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const int Pad = 151654;

    [Fact]
    public void FeatureRowsReplaceThePadPositionsInOrder()
    {
        int[] ids = [151644, 872, 198, 151652, Pad, Pad, Pad, 151653, 1128, 151652, Pad, Pad, 151653, 151645, 198, 151644, 77091, 198];
        int h = fixture.Model.Signature.HiddenSize;
        var random = new Random(7);
        float[] features = Enumerable.Range(0, 5 * h).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();

        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        var reference = new Qwen3ReferenceModel(config.TextConfig, ReferenceWeights.FromTensorSource(source));
        float[][] rows = reference.Embed(ids);
        for (int i = 0, next = 0; i < ids.Length; i++)
        {
            if (ids[i] == Pad)
            {
                rows[i] = features.AsSpan(next++ * h, h).ToArray();
            }
        }

        ReferenceSession session = reference.CreateSession();
        float[] expected = session.ForwardEmbeddingsLast(rows);
        using var runner = new SequenceRunner(fixture.Model, 64);
        runner.Forward(ids, features);
        Assert.True(LogitAssert.MaxAbsDiff(expected, runner.Logits) <= 1e-4);

        // A following text-only step continues from the same cache.
        float[] nextExpected = session.ForwardLast([9707]);
        runner.Forward([9707]);
        Assert.True(LogitAssert.MaxAbsDiff(nextExpected, runner.Logits) <= 1e-4);
    }

    [Fact]
    public void FeaturesThatAreNotWholeRowsOrDoNotMatchThePlaceholdersAreRejected()
    {
        using var runner = new SequenceRunner(fixture.Model, 16);
        var ex = Assert.Throws<ArgumentException>(() => runner.Forward([Pad], new float[fixture.Model.Signature.HiddenSize + 1]));
        Assert.Contains("whole rows", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => runner.Forward([Pad, Pad, 5], new float[fixture.Model.Signature.HiddenSize]));
        Assert.Contains("1 image feature rows were given for 2 image placeholder tokens", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, runner.Length);
    }
}
