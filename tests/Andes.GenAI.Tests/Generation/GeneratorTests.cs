using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;

namespace Andes.GenAI.Tests.Generation;

/// <summary>The generator on the real engine path (shared past/present buffers) against the reference forward.</summary>
public sealed class GeneratorTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    private static GenerationOptions Greedy(int max) => new() { DoSample = false, MaxNewTokens = max };

    [Fact]
    public void GreedyTokensEqualTheReferenceForwardTokenForToken()
    {
        AndesVLConfig config = AndesVLConfig.Load(TestModels.TinyCheckpoint);
        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TestModels.TinyCheckpoint);
        ReferenceSession reference = new Qwen3ReferenceModel(config.TextConfig, ReferenceWeights.FromTensorSource(source)).CreateSession();
        var expected = new List<int>();
        float[] logits = reference.ForwardLast(Prompt);
        for (int i = 0; i < 32; i++)
        {
            int next = LogitAssert.ArgMax(logits);
            expected.Add(next);
            logits = reference.ForwardLast([next]);
        }

        int[] actual = GenerateAll(fixture.Model, Prompt, Greedy(32));
        Assert.Equal(expected, actual);
        Assert.True(actual.Distinct().Count() > 4, "the tiny model should not be degenerate");
    }

    [Fact]
    public void SameSeedSameTokensDifferentSeedDifferentTokens()
    {
        var options = new GenerationOptions { DoSample = true, Temperature = 1.0f, TopK = 0, TopP = 1f, MaxNewTokens = 24, Seed = 11 };
        int[] a = GenerateAll(fixture.Model, Prompt, options);
        int[] b = GenerateAll(fixture.Model, Prompt, options);
        options.Seed = 12;
        int[] c = GenerateAll(fixture.Model, Prompt, options);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TopKNeverEmitsOutsideTheTopK()
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var options = new GenerationOptions { DoSample = true, Temperature = 1.5f, TopK = 3, MaxNewTokens = 12, Seed = seed };
            using var generator = new Generator(fixture.Model, options);
            generator.AppendTokens(Prompt);
            while (!generator.IsDone)
            {
                float[] logits = generator.GetLogits().ToArray();
                int token = generator.GenerateNextToken();
                int rank = logits.Count(l => l > logits[token]);
                Assert.True(rank < 3, $"token {token} has rank {rank}");
            }
        }
    }

    [Fact]
    public void StopsAtMaxTokensAndOnEndOfSequence()
    {
        using var generator = new Generator(fixture.Model, Greedy(5));
        generator.AppendTokens(Prompt);
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        Assert.Equal(FinishReason.Length, generator.FinishReason);
        Assert.Equal(5, generator.GeneratedTokenCount);

        // Declare the first greedy token a stop token: generation ends right after it.
        int first = GenerateAll(fixture.Model, Prompt, Greedy(1))[0];
        var options = Greedy(10);
        options.StopTokenIds = [first];
        using var stopped = new Generator(fixture.Model, options);
        stopped.AppendTokens(Prompt);
        Assert.Equal(first, stopped.GenerateNextToken());
        Assert.True(stopped.IsDone);
        Assert.Equal(FinishReason.StopToken, stopped.FinishReason);
    }

    [Fact]
    public void StopSequenceSpanningTokensStopsWithoutBeingEmitted()
    {
        string full = GenerateText(fixture.Model, Greedy(24), null, out _);
        // A stop string that starts inside one token's text and ends inside a later one.
        int[] tokens = GenerateAll(fixture.Model, Prompt, Greedy(24));
        string t3 = fixture.Model.Tokenizer.Decode(tokens.AsSpan(0, 3), skipSpecialTokens: true);
        string t6 = fixture.Model.Tokenizer.Decode(tokens.AsSpan(0, 6), skipSpecialTokens: true);
        Assert.True(t6.Length > t3.Length + 1);
        string stop = full.Substring(t3.Length - 1, t6.Length - t3.Length + 1);
        int at = full.IndexOf(stop, StringComparison.Ordinal);

        string text = GenerateText(fixture.Model, Greedy(24), [stop], out Generator g);
        Assert.Equal(full[..at], text);
        Assert.Equal(FinishReason.StopSequence, g.FinishReason);
        Assert.True(g.GeneratedTokenCount <= 6);
        g.Dispose();
    }

    [Fact]
    public void ReusedPrefixGivesTheSameTokensAsAFreshRun()
    {
        int[] fresh = GenerateAll(fixture.Model, [.. Prompt, .. Prompt], Greedy(8));
        using var runner = new SequenceRunner(fixture.Model, 64);
        using (var first = new Generator(fixture.Model, Greedy(4), runner, null))
        {
            first.AppendTokens(Prompt);
            while (!first.IsDone)
            {
                first.GenerateNextToken();
            }
        }

        Assert.True(runner.Length >= Prompt.Length);
        using var second = new Generator(fixture.Model, Greedy(8), runner, null);
        second.ReuseCachedPrefix(Prompt, [.. Prompt, .. Prompt]);
        Assert.Equal(Prompt.Length, second.ReusedTokenCount);
        second.AppendTokens([.. Prompt, .. Prompt]);
        var tokens = new List<int>();
        while (!second.IsDone)
        {
            tokens.Add(second.GenerateNextToken());
        }

        Assert.Equal(fresh, tokens);
    }

    [Fact]
    public void KeyValueCacheGrowsPastItsFirstCapacity()
    {
        int[] longPrompt = Enumerable.Range(0, 300).Select(i => 1000 + i).ToArray();
        using var runner = new SequenceRunner(fixture.Model, 16);
        using var generator = new Generator(fixture.Model, Greedy(4), runner, null);
        generator.AppendTokens(longPrompt);
        var grown = new List<int>();
        while (!generator.IsDone)
        {
            grown.Add(generator.GenerateNextToken());
        }

        Assert.Equal(GenerateAll(fixture.Model, longPrompt, Greedy(4)), grown);
    }

    [Fact]
    public void PromptPassReservesTheCacheForTheTokensToCome()
    {
        int[] prompt = Enumerable.Range(0, 256).Select(i => 2000 + i).ToArray();
        using var runner = new SequenceRunner(fixture.Model, 16);
        using var generator = new Generator(fixture.Model, Greedy(40), runner, null);
        generator.AppendTokens(prompt);
        long reserved = runner.CacheSizeInBytes;
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
        }

        Assert.Equal(reserved, runner.CacheSizeInBytes); // no growth (a copy of the whole cache) while decoding
    }

    [Fact]
    public void PromptLongerThanTheContextFailsBeforeAnyCompute()
    {
        using var generator = new Generator(fixture.Model, Greedy(4));
        var ex = Assert.Throws<PromptTooLongException>(() => generator.AppendTokens(new int[fixture.Model.ContextLength + 5]));
        Assert.Equal(fixture.Model.ContextLength + 5, ex.PromptTokens);
        Assert.Equal(0, generator.Runner.Length);
    }

    [Fact]
    public void OutOfVocabularyTokenIsRejected()
    {
        using var generator = new Generator(fixture.Model, Greedy(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.AppendTokens([1, 999_999]));
    }

    [Fact]
    public async Task ConcurrentGenerationsEqualSequentialOnes()
    {
        var prompts = Enumerable.Range(0, 8).Select(i => Prompt.Append(100 + (i * 37)).ToArray()).ToArray();
        GenerationOptions Options(int i) => new() { DoSample = true, Temperature = 0.9f, TopK = 40, MaxNewTokens = 10, Seed = i };
        int[][] sequential = prompts.Select((p, i) => GenerateAll(fixture.Model, p, Options(i))).ToArray();
        int[][] concurrent = await Task.WhenAll(prompts.Select((p, i) => Task.Run(() => GenerateAll(fixture.Model, p, Options(i)))));
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }

    internal static int[] GenerateAll(AndesModel model, int[] prompt, GenerationOptions options)
    {
        using var generator = new Generator(model, options);
        generator.AppendTokens(prompt);
        var tokens = new List<int>();
        while (!generator.IsDone)
        {
            tokens.Add(generator.GenerateNextToken());
        }

        return [.. tokens];
    }

    internal static int[] GenerateAll(AndesModel model, EncodedPrompt prompt, GenerationOptions options)
    {
        using var generator = new Generator(model, options);
        generator.AppendPrompt(prompt);
        var tokens = new List<int>();
        while (!generator.IsDone)
        {
            tokens.Add(generator.GenerateNextToken());
        }

        return [.. tokens];
    }

    private static string GenerateText(AndesModel model, GenerationOptions options, string[]? stops, out Generator generator)
    {
        generator = new Generator(model, options);
        generator.AppendTokens(Prompt);
        var streamer = new TextStreamer(generator, stops);
        var text = new System.Text.StringBuilder();
        while (!streamer.IsDone)
        {
            text.Append(streamer.Step());
        }

        text.Append(streamer.Complete());
        return text.ToString();
    }
}
