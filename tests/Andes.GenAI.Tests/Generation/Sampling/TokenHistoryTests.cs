using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation.Sampling;

public sealed class TokenHistoryTests
{
    [Fact]
    public void TracksPromptGeneratedDistinctAndCounts()
    {
        using var sampler = new LogitsSampler(new GenerationOptions(), 100, expectedTokens: 2);
        sampler.AddPromptTokens([5, 7, 5]);
        sampler.AddPromptTokens([9L]);
        foreach (int token in new[] { 7, 3, 3, 42, 3 })
        {
            sampler.Accept(token);
        }

        TokenHistory history = sampler.History;
        Assert.Equal(100, history.VocabSize);
        Assert.Equal(9, history.Count);
        Assert.Equal(4, history.PromptLength);
        Assert.Equal(5, history.GeneratedCount);
        Assert.Equal([5, 7, 5, 9, 7, 3, 3, 42, 3], history.Tokens.ToArray());
        Assert.Equal([5, 7, 5, 9], history.PromptTokens.ToArray());
        Assert.Equal([7, 3, 3, 42, 3], history.GeneratedTokens.ToArray());
        Assert.Equal([5, 7, 9, 3, 42], history.DistinctTokens.ToArray());
        Assert.Equal([7, 3, 42], history.DistinctGeneratedTokens.ToArray());
        Assert.Equal(3, history.GetGeneratedCount(3));
        Assert.Equal(1, history.GetGeneratedCount(7));
        Assert.Equal(0, history.GetGeneratedCount(5)); // prompt only
        Assert.True(history.Contains(5));
        Assert.False(history.Contains(6));
    }

    [Fact]
    public void GrowsPastTheInitialCapacity()
    {
        using var sampler = new LogitsSampler(new GenerationOptions(), 50);
        for (int i = 0; i < 1000; i++)
        {
            sampler.Accept(i % 50);
        }

        Assert.Equal(1000, sampler.History.GeneratedCount);
        Assert.Equal(20, sampler.History.GetGeneratedCount(49));
        Assert.Equal(999 % 50, sampler.History.GeneratedTokens[999]);
    }

    [Fact]
    public void PromptAfterGeneration_Throws()
    {
        using var sampler = new LogitsSampler(new GenerationOptions(), 10);
        sampler.Accept(1);
        var ex = Assert.Throws<InvalidOperationException>(() => sampler.AddPromptTokens([2]));
        Assert.Contains("before the first generated token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PooledTablesStartClean()
    {
        // Dirty a pooled table, return it, and make sure a new history does not see stale counts.
        using (var first = new LogitsSampler(new GenerationOptions(), 151936))
        {
            for (int i = 0; i < 100; i++)
            {
                first.Accept(1234);
            }
        }

        using var second = new LogitsSampler(new GenerationOptions(), 151936);
        Assert.Equal(0, second.History.GetGeneratedCount(1234));
        Assert.False(second.History.Contains(1234));
    }
}
