using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Adapters;

/// <summary>Loading, looking up, leasing and unloading adapters; unloading in use is deferred, never refused.</summary>
public sealed class AdapterRegistryTests(LoraModelFixture fixture) : IClassFixture<LoraModelFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 151645, 198, 151644, 77091, 198];

    [Fact]
    public void UnloadingAnAdapterInUseIsDeferredUntilItsLastGenerationEnds()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter adapter = registry.Load("seven", TestModels.TinyPeftAdapter(7));
        int[] expected = LoraAdapterParityTests.Greedy(fixture.Model, adapter, 8, Prompt);

        var options = new GenerationOptions { MaxNewTokens = 8 };
        options.StopTokenIds = [];
        var generator = new Generator(fixture.Model, options, registry.Get("seven"));
        generator.AppendTokens(Prompt);
        var tokens = new List<int> { generator.GenerateNextToken() };

        Assert.True(registry.Unload("seven"));
        Assert.Empty(registry.Names);
        Assert.False(registry.TryGet("seven", out _));
        Assert.False(adapter.IsReleased); // still in use

        while (!generator.IsDone)
        {
            tokens.Add(generator.GenerateNextToken()); // the running generation finishes with the adapter
        }

        Assert.Equal(expected, tokens);
        Assert.False(adapter.IsReleased);
        generator.Dispose();
        Assert.True(adapter.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => new Generator(fixture.Model, options, adapter)); // released for good

        // The name was free at once: load it again.
        registry.Load("seven", TestModels.TinyPeftAdapter(7));
        Assert.Equal(["seven"], registry.Names);
    }

    [Fact]
    public void ALeaseKeepsAnUnloadedAdapterAlive()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        registry.Load("a", TestModels.TinyPeftAdapter(7));
        LoraAdapterLease lease = registry.Acquire("a");
        registry.Unload("a");
        Assert.False(lease.Adapter.IsReleased);
        using (var generator = new Generator(fixture.Model, new GenerationOptions { MaxNewTokens = 1 }, lease.Adapter))
        {
            generator.AppendTokens(Prompt);
        }

        lease.Dispose();
        Assert.True(lease.Adapter.IsReleased);
        lease.Dispose(); // idempotent
    }

    [Fact]
    public void LookUpsNameTheLoadedAdapters()
    {
        using var registry = new AdapterRegistry(fixture.Model);
        registry.Load("b", TestModels.TinyPeftAdapter(8, rank: 8));
        registry.Load("a", TestModels.TinyPeftAdapter(7));
        Assert.Equal(["a", "b"], registry.Names);
        Assert.Equal(2, registry.Count);
        Assert.Equal(8, registry.Get("b").Rank);
        KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => registry.Acquire("c"));
        Assert.Contains("'c'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => registry.Load("a", TestModels.TinyPeftAdapter(7)));
        Assert.False(registry.Unload("c"));
    }

    [Fact]
    public void DisposingTheRegistryUnloadsEverythingWithTheSameDeferral()
    {
        var registry = new AdapterRegistry(fixture.Model);
        LoraAdapter a = registry.Load("a", TestModels.TinyPeftAdapter(7));
        LoraAdapter b = registry.Load("b", TestModels.TinyPeftAdapter(8, rank: 8));
        var generator = new Generator(fixture.Model, new GenerationOptions { MaxNewTokens = 2 }, b);
        registry.Dispose();
        Assert.True(a.IsReleased);
        Assert.False(b.IsReleased);
        generator.AppendTokens(Prompt);
        generator.GenerateNextToken();
        generator.Dispose();
        Assert.True(b.IsReleased);
    }

    [Fact]
    public void AnAdapterLoadedForAnotherModelIsRefused()
    {
        using var adapter = LoraAdapter.Load(fixture.Model, TestModels.TinyPeftAdapter(7));
        using var other = Andes.GenAI.AndesModel.Load(TestModels.TinyFp32Model);
        Assert.Throws<ArgumentException>(() => new Generator(other, new GenerationOptions(), adapter));
        using var registry = new AdapterRegistry(other);
        Assert.Throws<ArgumentException>(() => registry.Add(adapter));
    }
}
