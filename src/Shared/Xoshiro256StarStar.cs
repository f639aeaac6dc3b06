using System.Numerics;

namespace Andes;

/// <summary>
/// The xoshiro256** 1.0 pseudo-random generator (Blackman and Vigna), seeded through SplitMix64. Fully specified, so
/// a seed gives the same stream on every run, runtime and platform (unlike <see cref="Random"/>, whose algorithm is
/// not part of its contract). Not cryptographic; not thread-safe. One source file compiled into Andes.GenAI
/// (sampling) and Andes.ModelBuilder (seeded weights), so neither package reaches into the other's internals for it.
/// </summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Initializes a new instance of the <see cref="Xoshiro256StarStar"/> struct from a 64-bit seed.</summary>
    /// <param name="seed">Any value; expanded to 256 bits of state with SplitMix64 (never all zero).</param>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>Creates a generator with an explicit 256-bit state (for reference vectors in tests).</summary>
    /// <param name="s0">State word 0.</param>
    /// <param name="s1">State word 1.</param>
    /// <param name="s2">State word 2.</param>
    /// <param name="s3">State word 3.</param>
    /// <returns>The generator.</returns>
    internal static Xoshiro256StarStar FromState(ulong s0, ulong s1, ulong s2, ulong s3) =>
        new() { _s0 = s0, _s1 = s1, _s2 = s2, _s3 = s3 };

    /// <summary>Returns the next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Returns a uniformly distributed double in [0, 1) with 53 random bits.</summary>
    /// <returns>A value <c>k / 2^53</c> for a uniform integer k in [0, 2^53).</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>One SplitMix64 step (Steele, Lea and Flood), used to expand the seed.</summary>
    /// <param name="state">The SplitMix64 state, advanced.</param>
    /// <returns>The next output.</returns>
    internal static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
