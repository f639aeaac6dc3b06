namespace Andes.GenAI;

/// <summary>
/// Packs a (score, token id) pair into one 64-bit key whose unsigned order is "better first": a higher score sorts
/// first and, between equal scores, the lower token id. Keys are unique per token, so selection and sorting need no
/// tie handling and every result is deterministic.
/// </summary>
internal static class CandidateKey
{
    /// <summary>Creates the key of <paramref name="token"/> with <paramref name="score"/> (any non-NaN float).</summary>
    /// <param name="score">The logit or weight.</param>
    /// <param name="token">The token id (non-negative).</param>
    /// <returns>The packed key; smaller is better.</returns>
    public static ulong Create(float score, int token) => ((ulong)~ToOrderedBits(score) << 32) | (uint)token;

    /// <summary>Gets the token id of a key.</summary>
    /// <param name="key">A key from <see cref="Create"/>.</param>
    /// <returns>The token id.</returns>
    public static int Token(ulong key) => (int)(uint)key;

    /// <summary>Gets the score of a key.</summary>
    /// <param name="key">A key from <see cref="Create"/>.</param>
    /// <returns>The score, bit-exact (except that -0 comes back as +0).</returns>
    public static float Score(ulong key) => FromOrderedBits(~(uint)(key >> 32));

    /// <summary>Maps a float to a uint whose unsigned order is the float's numeric order (-0 counts as +0).</summary>
    private static uint ToOrderedBits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (bits == 0x8000_0000u)
        {
            bits = 0; // -0 == +0: equal scores must tie, then order by token id
        }

        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    private static float FromOrderedBits(uint ordered) =>
        BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000u) != 0 ? ordered & 0x7FFF_FFFFu : ~ordered);
}
