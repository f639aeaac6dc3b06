using System.Runtime.InteropServices;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

public class ElementConverterTests
{
    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.0f, 0xC000)]
    [InlineData(0.0f, 0x0000)]
    [InlineData(-0.0f, 0x8000)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(float.NegativeInfinity, 0xFF80)]
    [InlineData(float.MaxValue, 0x7F80)] // rounds past the largest bfloat16 to infinity
    [InlineData(3.140625f, 0x4049)] // exactly representable
    public void BFloat16_encodes_known_values(float value, int expected)
    {
        Assert.Equal((ushort)expected, ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(value)));
    }

    [Fact]
    public void BFloat16_rounds_to_nearest_with_ties_to_even()
    {
        // 1 + 2^-8 lies exactly between 1 (0x3F80, even) and 1 + 2^-7 (0x3F81, odd): ties go to even, down.
        Assert.Equal(0x3F80, Round(1 + MathF.Pow(2, -8)));
        // 1 + 3 * 2^-8 lies between 0x3F81 (odd) and 0x3F82 (even): up to even.
        Assert.Equal(0x3F82, Round(1 + (3 * MathF.Pow(2, -8))));
        // Just above a tie rounds up, just below rounds down.
        Assert.Equal(0x3F81, Round(BitConverter.UInt32BitsToSingle(0x3F80_8001)));
        Assert.Equal(0x3F80, Round(BitConverter.UInt32BitsToSingle(0x3F80_7FFF)));
        // Negative values mirror positive ones.
        Assert.Equal(0xBF82, Round(-(1 + (3 * MathF.Pow(2, -8)))));

        static int Round(float f) => ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(f));
    }

    [Fact]
    public void BFloat16_keeps_NaN_and_subnormals()
    {
        ushort nan = ElementConverter.RoundToBFloat16(0x7FFF_FFFF); // a NaN whose rounding would carry into the sign
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)nan << 16)));
        ushort signallingNan = ElementConverter.RoundToBFloat16(0x7F80_0001); // payload only in the low half
        Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)signallingNan << 16)));

        // The smallest bfloat16 subnormal, 2^-133, is exactly representable; half of it is a tie that goes to zero.
        float tiny = MathF.Pow(2, -133);
        Assert.Equal(0x0001, ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(tiny)));
        Assert.Equal(0x0000, ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(tiny / 2)));
        Assert.Equal(0x0002, ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(tiny * 1.6f)));
    }

    [Fact]
    public void Vectorised_bfloat16_paths_match_the_scalar_rounding()
    {
        // Lengths that are not a multiple of the vector width exercise both the vector loop and the tail.
        var random = new Random(7);
        float[] values = new float[1000 + 13];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
        }

        values[0] = float.NaN;
        values[1] = -0.0f;
        values[2] = float.Epsilon;
        ushort[] encoded = new ushort[values.Length];
        ElementConverter.Float32ToBFloat16(values, encoded);
        float[] decoded = new float[values.Length];
        ElementConverter.BFloat16ToFloat32(encoded, decoded);
        for (int i = 0; i < values.Length; i++)
        {
            ushort expected = ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(values[i]));
            Assert.Equal(expected, encoded[i]);
            Assert.Equal((uint)expected << 16, BitConverter.SingleToUInt32Bits(decoded[i]));
        }
    }

    [Fact]
    public void Float16_matches_the_Half_conversion_including_subnormals_and_overflow()
    {
        float[] values =
        [
            0, -0.0f, 1, -1, 0.1f, 65504, 65520, 70000, -70000, float.PositiveInfinity, float.NaN,
            5.9604645e-8f, // smallest float16 subnormal, 2^-24
            2.9802322e-8f, // half of it: a tie, to zero
            3.0e-8f, // just above the tie: the smallest subnormal
            6.1e-5f, // near the smallest normal
            1e-10f,
        ];
        byte[] bytes = new byte[values.Length * 2];
        ElementConverter.FromFloat32(TensorDataType.Float16, values, bytes);
        float[] back = new float[values.Length];
        ElementConverter.ToFloat32(TensorDataType.Float16, bytes, back);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal((float)(Half)values[i], back[i]);
        }

        Assert.Equal(65504f, back[5]);
        Assert.Equal(float.PositiveInfinity, back[7]);
        Assert.Equal(MathF.Pow(2, -24), back[11]);
        Assert.Equal(0f, back[12]);
        Assert.Equal(MathF.Pow(2, -24), back[13]);
    }

    [Fact]
    public void Integer_and_float8_types_decode_to_float32()
    {
        Assert.Equal([-3f, 0f, 7f], Decode(TensorDataType.Int32, MemoryMarshal.AsBytes<int>([-3, 0, 7]).ToArray(), 3));
        Assert.Equal([-3f, 1e12f], Decode(TensorDataType.Int64, MemoryMarshal.AsBytes<long>([-3, 1_000_000_000_000]).ToArray(), 2));
        Assert.Equal([-128f, 127f], Decode(TensorDataType.Int8, [0x80, 0x7F], 2));
        Assert.Equal([255f, 0f], Decode(TensorDataType.UInt8, [0xFF, 0x00], 2));
        Assert.Equal([1f, 0f, 1f], Decode(TensorDataType.Bool, [1, 0, 2], 3));
        Assert.Equal([0f, 65535f], Decode(TensorDataType.UInt16, MemoryMarshal.AsBytes<ushort>([0, 65535]).ToArray(), 2));
        Assert.Equal([-32768f, 5f], Decode(TensorDataType.Int16, MemoryMarshal.AsBytes<short>([-32768, 5]).ToArray(), 2));
        Assert.Equal([1f, 448f, -1f], Decode(TensorDataType.Float8E4M3, [0x38, 0x7E, 0xB8], 3));
        Assert.True(float.IsNaN(Decode(TensorDataType.Float8E4M3, [0x7F], 1)[0]));
        Assert.Equal(MathF.Pow(2, -9), Decode(TensorDataType.Float8E4M3, [0x01], 1)[0]);
        Assert.Equal([1f, 57344f, float.PositiveInfinity], Decode(TensorDataType.Float8E5M2, [0x3C, 0x7B, 0x7C], 3));
        Assert.Equal([1.5, -0.25], Decode(TensorDataType.Float64, MemoryMarshal.AsBytes<double>([1.5, -0.25]).ToArray(), 2).Select(f => (double)f));

        static float[] Decode(TensorDataType type, byte[] bytes, int count)
        {
            float[] result = new float[count];
            ElementConverter.ToFloat32(type, bytes, result);
            return result;
        }
    }

    [Theory]
    [InlineData("F32", TensorDataType.Float32, 4)]
    [InlineData("F16", TensorDataType.Float16, 2)]
    [InlineData("BF16", TensorDataType.BFloat16, 2)]
    [InlineData("F64", TensorDataType.Float64, 8)]
    [InlineData("I64", TensorDataType.Int64, 8)]
    [InlineData("U8", TensorDataType.UInt8, 1)]
    [InlineData("BOOL", TensorDataType.Bool, 1)]
    [InlineData("F8_E4M3", TensorDataType.Float8E4M3, 1)]
    public void Dtype_names_round_trip(string name, TensorDataType type, int size)
    {
        Assert.True(TensorDataTypeExtensions.TryParseSafeTensorsName(name, out TensorDataType parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(name, type.ToSafeTensorsName());
        Assert.Equal(size, type.GetElementSize());
        Assert.False(TensorDataTypeExtensions.TryParseSafeTensorsName(name.ToLowerInvariant(), out _));
    }
}
