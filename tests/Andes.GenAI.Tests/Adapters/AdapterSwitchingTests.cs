using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Adapters;

/// <summary>Switching adapters between runs leaves no state behind; concurrent runs with different adapters do not interfere.</summary>
public sealed class AdapterSwitchingTests(LoraModelFixture fixture) : IClassFixture<LoraModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    [Fact]
    public void SwitchingBackAndForthGivesTheSameLogitsAsFreshRuns()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter a = registry.Load("a", TestModels.TinyPeftAdapter(7));
        LoraAdapter b = registry.Load("b", TestModels.TinyPeftAdapter(8, rank: 8));
        float[] freshA = LoraAdapterParityTests.PromptLogits(fixture.Model, a);
        float[] freshB = LoraAdapterParityTests.PromptLogits(fixture.Model, b);
        float[] freshBase = LoraAdapterParityTests.PromptLogits(fixture.Model, null);
        Assert.NotEqual(freshA, freshB);

        LoraAdapter?[] order = [a, null, b, a, a, null, b, null, a];
        foreach (LoraAdapter? adapter in order)
        {
            float[] expected = adapter == a ? freshA : adapter == b ? freshB : freshBase;
            Assert.Equal(expected, LoraAdapterParityTests.PromptLogits(fixture.Model, adapter));
        }
    }

    [Fact]
    public async Task ConcurrentGenerationsWithDifferentAdaptersGiveTheSequentialTokens()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter?[] adapters = [registry.Load("a", TestModels.TinyPeftAdapter(7)), registry.Load("b", TestModels.TinyPeftAdapter(8, rank: 8)), null];
        int[][] sequential = adapters.Select(x => LoraAdapterParityTests.Greedy(fixture.Model, x, 12)).ToArray();
        Assert.Equal(3, sequential.Select(t => string.Join(",", t)).Distinct().Count());

        // Three rounds of every adapter at once, started together.
        using var start = new Barrier(9);
        Task<int[]>[] tasks = Enumerable.Range(0, 9)
            .Select(i => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return LoraAdapterParityTests.Greedy(fixture.Model, adapters[i % 3], 12);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();
        int[][] concurrent = await Task.WhenAll(tasks);
        for (int i = 0; i < concurrent.Length; i++)
        {
            Assert.Equal(sequential[i % 3], concurrent[i]);
        }
    }
}
