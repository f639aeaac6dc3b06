namespace Andes.Testing;

/// <summary>
/// Asserts that a step allocates nothing in steady state. One-off allocations by the runtime itself
/// (tiered JIT, on-stack replacement, type loading) can land on the test thread at any time; a real
/// per-step allocation shows in every round, so the smallest of several measured rounds must be zero.
/// </summary>
public static class AllocationAssert
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmup"/> times, then <paramref name="rounds"/> rounds of
    /// <paramref name="iterations"/> calls each, and fails unless at least one round allocated zero bytes.
    /// </summary>
    /// <returns>The bytes allocated by each measured round, for diagnostics.</returns>
    public static long[] NothingPerStep(Action step, int iterations, int warmup = 0, int rounds = 3)
    {
        ArgumentNullException.ThrowIfNull(step);
        for (int i = 0; i < warmup; i++)
        {
            step();
        }

        long[] allocated = new long[rounds];
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++)
            {
                step();
            }

            allocated[round] = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated[round] == 0)
            {
                return allocated[..(round + 1)];
            }
        }

        Xunit.Assert.Fail($"Every round of {iterations} steps allocated: {string.Join(", ", allocated)} bytes.");
        return allocated;
    }
}
