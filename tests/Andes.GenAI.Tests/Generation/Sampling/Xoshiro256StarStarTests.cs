using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation.Sampling;

public sealed class Xoshiro256StarStarTests
{
    [Fact]
    public void MatchesTheReferenceOutputForState1234()
    {
        // xoshiro256** 1.0 reference implementation, state {1, 2, 3, 4}.
        var random = Xoshiro256StarStar.FromState(1, 2, 3, 4);
        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
        Assert.Equal(1509978240UL, random.NextUInt64());
        Assert.Equal(1215971899390074240UL, random.NextUInt64());
    }

    [Fact]
    public void SplitMix64_MatchesTheReferenceOutputForSeedZero()
    {
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256StarStar.SplitMix64(ref state));
    }

    [Fact]
    public void NextDouble_IsInUnitIntervalAndRoughlyUniform()
    {
        var random = new Xoshiro256StarStar(99);
        var buckets = new int[10];
        const int draws = 100000;
        for (int i = 0; i < draws; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            buckets[(int)(u * 10)]++;
        }

        Assert.All(buckets, b => Assert.InRange(b, 9500, 10500));
    }

    [Fact]
    public void SameSeedSameStream()
    {
        var a = new Xoshiro256StarStar(unchecked((ulong)-5L));
        var b = new Xoshiro256StarStar(unchecked((ulong)-5L));
        var c = new Xoshiro256StarStar(6);
        bool differs = false;
        for (int i = 0; i < 100; i++)
        {
            ulong x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            differs |= x != c.NextUInt64();
        }

        Assert.True(differs);
    }
}
