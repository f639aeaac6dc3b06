using System.Buffers.Binary;

namespace Andes.Testing.Fuzzing;

/// <summary>
/// Blind mutations of binary inputs: bit flips, interesting bytes, interesting 32- and 64-bit little-endian integers
/// written over the data (lengths and offsets of binary formats), truncations, deletions, duplications and inserted
/// invalid UTF-8.
/// </summary>
public static class ByteMutator
{
    /// <summary>32-bit values that break length and offset arithmetic: signs, 2^31 and 2^32 edges.</summary>
    public static readonly uint[] InterestingUInt32 =
    [
        0, 1, 2, 4, 8, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x40000000, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF,
    ];

    /// <summary>64-bit values: signs, 2^31, 2^32 and 2^63 edges, and the 100 MB safetensors header limit.</summary>
    public static readonly ulong[] InterestingUInt64 =
    [
        0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, 100UL * 1024 * 1024, (100UL * 1024 * 1024) + 1, long.MaxValue, 0x8000000000000000, ulong.MaxValue - 1, ulong.MaxValue,
    ];

    /// <summary>Byte sequences that are not valid UTF-8 (a stray continuation, an overlong form, an encoded surrogate, a truncated sequence, 0xFF).</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xB0, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0xFF, 0x7F, 0x80, (byte)'"', (byte)'\\', (byte)'{', (byte)'[', (byte)',', (byte)':'];

    /// <summary>Applies one to four random mutations.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="input">The input (not changed).</param>
    /// <returns>A mutated copy.</returns>
    public static byte[] Mutate(Random random, byte[] input)
    {
        var data = new List<byte>(input);
        int rounds = 1 + random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            MutateOnce(random, data);
        }

        return [.. data];
    }

    /// <summary>Writes an interesting 32-bit value at a 4-byte-aligned position (FlatBuffer offsets and lengths are aligned).</summary>
    public static byte[] OverwriteAlignedUInt32(Random random, byte[] input)
    {
        byte[] data = (byte[])input.Clone();
        if (data.Length >= 4)
        {
            int at = random.Next(data.Length / 4) * 4;
            uint value = InterestingUInt32[random.Next(InterestingUInt32.Length)];
            if (random.Next(3) == 0)
            {
                // Near the current value: off-by-a-few offsets that still land inside the file.
                value = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at)) + (uint)random.Next(-16, 17);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        }

        return data;
    }

    private static void MutateOnce(Random random, List<byte> data)
    {
        switch (random.Next(10))
        {
            case 0 when data.Count > 0:
                int bit = random.Next(data.Count * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when data.Count > 0:
                data[random.Next(data.Count)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count >= 4:
            {
                Span<byte> word = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(word, InterestingUInt32[random.Next(InterestingUInt32.Length)]);
                int at = random.Next(2) == 0 ? random.Next(data.Count / 4) * 4 : random.Next(data.Count - 3);
                for (int i = 0; i < 4; i++)
                {
                    data[at + i] = word[i];
                }

                break;
            }

            case 3 when data.Count >= 8:
            {
                Span<byte> word = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(word, InterestingUInt64[random.Next(InterestingUInt64.Length)]);
                int at = random.Next(3) == 0 ? 0 : random.Next(data.Count - 7); // offset 0: a safetensors header length
                for (int i = 0; i < 8; i++)
                {
                    data[at + i] = word[i];
                }

                break;
            }

            case 4 when data.Count > 0:
                int cut = random.Next(data.Count);
                data.RemoveRange(cut, data.Count - cut);
                break;
            case 5 when data.Count > 1:
            {
                int at = random.Next(data.Count);
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            }

            case 6:
            {
                byte[] insert = random.Next(2) == 0
                    ? InvalidUtf8[random.Next(InvalidUtf8.Length)]
                    : [.. Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))];
                data.InsertRange(random.Next(data.Count + 1), insert);
                break;
            }

            case 7 when data.Count > 1:
            {
                int at = random.Next(data.Count);
                int length = Math.Min(data.Count - at, 1 + random.Next(64));
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                break;
            }

            default:
                if (data.Count > 0)
                {
                    data[random.Next(data.Count)] = (byte)random.Next(256);
                }

                break;
        }
    }
}
