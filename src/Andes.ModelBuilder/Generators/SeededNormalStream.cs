using System.Text;
using Andes.GenAI;
namespace Andes.ModelBuilder;

/// <summary>
/// A deterministic stream of approximately normal values for one tensor: xoshiro256** seeded through SplitMix64 from
/// the global seed and the FNV-1a hash of the tensor name, so each tensor's values depend only on (seed, name) and
/// not on the order tensors are generated in. Each value is the centred sum of eight 16-bit uniforms (two 64-bit
/// draws; Irwin-Hall, within 4.9 standard deviations), scaled in one float multiply: integer arithmetic up to the
/// last step, so the same seed gives bit-identical values on every machine.
/// </summary>
internal struct SeededNormalStream
{
    // Sum of eight uniforms on 0..65535: mean 8 * 65535 / 2, standard deviation sqrt(8 * (65536^2 - 1) / 12).
    private const long SumMean = 262_140;
    private static readonly double SumStandardDeviation = Math.Sqrt(8.0 * ((65536.0 * 65536.0) - 1) / 12.0);

    private Xoshiro256StarStar _random;

    private SeededNormalStream(ulong seed) => _random = new Xoshiro256StarStar(seed);

    /// <summary>The stream of tensor <paramref name="tensorName"/> under global seed <paramref name="seed"/>.</summary>
    public static SeededNormalStream ForTensor(ulong seed, string tensorName)
    {
        ulong x = seed;
        ulong mixedSeed = Xoshiro256StarStar.SplitMix64(ref x);
        return new SeededNormalStream(mixedSeed ^ Fnv1a64(tensorName));
    }

    /// <summary>The 64-bit FNV-1a hash of a string's UTF-8 bytes.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Fills <paramref name="destination"/> with the next values, distributed about N(mean, std^2).</summary>
    public void Fill(Span<float> destination, float mean, float standardDeviation)
    {
        if (standardDeviation == 0)
        {
            destination.Fill(mean);
            return;
        }

        float scale = (float)(standardDeviation / SumStandardDeviation);
        Xoshiro256StarStar random = _random; // a local copy the JIT keeps in registers
        for (int i = 0; i < destination.Length; i++)
        {
            ulong a = random.NextUInt64();
            ulong b = random.NextUInt64();
            const ulong Low16 = 0x0000_FFFF_0000_FFFFUL;
            ulong pairs = (a & Low16) + ((a >> 16) & Low16) + (b & Low16) + ((b >> 16) & Low16);
            long sum = (long)((pairs & 0xFFFF_FFFFUL) + (pairs >> 32));
            float centred = sum - SumMean;
            float z = centred * scale;
            destination[i] = mean + z;
        }

        _random = random;
    }
}
