using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Andes.ModelBuilder;

/// <summary>
/// Converts little-endian stored elements to and from float32, vectorised where it is cheap: bfloat16 is a 16-bit
/// shift, float16 goes through <see cref="TensorPrimitives"/>. Allocation-free; sources may be unaligned.
/// </summary>
internal static class ElementConverter
{
    private static readonly float[] Float8E4M3Table = BuildFloat8E4M3Table();
    private static readonly float[] Float8E5M2Table = BuildFloat8E5M2Table();

    static ElementConverter()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian machines are not supported.");
        }
    }

    /// <summary>Decodes <paramref name="destination"/>.Length elements of <paramref name="dataType"/> from <paramref name="source"/>.</summary>
    /// <remarks><paramref name="source"/> holds exactly <c>destination.Length * elementSize</c> bytes.</remarks>
    public static void ToFloat32(TensorDataType dataType, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dataType)
        {
            case TensorDataType.Float32:
                source.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case TensorDataType.BFloat16:
                BFloat16ToFloat32(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDataType.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorDataType.Float64:
                {
                    ReadOnlySpan<double> s = MemoryMarshal.Cast<byte, double>(source);
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = (float)s[i];
                    }

                    break;
                }

            case TensorDataType.Int64:
                {
                    ReadOnlySpan<long> s = MemoryMarshal.Cast<byte, long>(source);
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = s[i];
                    }

                    break;
                }

            case TensorDataType.UInt64:
                {
                    ReadOnlySpan<ulong> s = MemoryMarshal.Cast<byte, ulong>(source);
                    for (int i = 0; i < destination.Length; i++)
                    {
                        destination[i] = s[i];
                    }

                    break;
                }

            case TensorDataType.Int32:
                TensorPrimitives.ConvertTruncating<int, float>(MemoryMarshal.Cast<byte, int>(source), destination);
                break;
            case TensorDataType.UInt32:
                TensorPrimitives.ConvertTruncating<uint, float>(MemoryMarshal.Cast<byte, uint>(source), destination);
                break;
            case TensorDataType.Int16:
                TensorPrimitives.ConvertTruncating<short, float>(MemoryMarshal.Cast<byte, short>(source), destination);
                break;
            case TensorDataType.UInt16:
                TensorPrimitives.ConvertTruncating<ushort, float>(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case TensorDataType.Int8:
                TensorPrimitives.ConvertTruncating<sbyte, float>(MemoryMarshal.Cast<byte, sbyte>(source), destination);
                break;
            case TensorDataType.UInt8:
                TensorPrimitives.ConvertTruncating<byte, float>(source, destination);
                break;
            case TensorDataType.Bool:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i] != 0 ? 1f : 0f;
                }

                break;
            case TensorDataType.Float8E4M3:
                Lookup(Float8E4M3Table, source, destination);
                break;
            case TensorDataType.Float8E5M2:
                Lookup(Float8E5M2Table, source, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor element type.");
        }
    }

    /// <summary>Encodes float32 values as <paramref name="dataType"/> (float32, float16, bfloat16 or float64).</summary>
    /// <remarks>
    /// bfloat16 and float16 round to nearest, ties to even; NaN stays NaN and values past the largest finite value
    /// become infinities. <paramref name="destination"/> holds exactly <c>source.Length * elementSize</c> bytes.
    /// </remarks>
    public static void FromFloat32(TensorDataType dataType, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (dataType)
        {
            case TensorDataType.Float32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case TensorDataType.BFloat16:
                Float32ToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            case TensorDataType.Float16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case TensorDataType.Float64:
                {
                    Span<double> d = MemoryMarshal.Cast<byte, double>(destination);
                    for (int i = 0; i < source.Length; i++)
                    {
                        d[i] = source[i];
                    }

                    break;
                }

            default:
                throw new NotSupportedException($"Writing float32 values as {dataType.ToSafeTensorsName()} is not supported (use F32, F16, BF16 or F64).");
        }
    }

    /// <summary>bfloat16 bits to float32: each value is the upper half of a float32.</summary>
    public static void BFloat16ToFloat32(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length > source.Length)
        {
            throw new ArgumentException("The source is shorter than the destination.", nameof(source));
        }

        int i = 0;
        int n = destination.Length;
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        if (Vector.IsHardwareAccelerated)
        {
            int step = Vector<ushort>.Count;
            for (; i <= n - step; i += step)
            {
                Vector<ushort> v = Vector.LoadUnsafe(ref src, (nuint)i);
                Vector.Widen(v, out Vector<uint> lo, out Vector<uint> hi);
                Vector.ShiftLeft(lo, 16).StoreUnsafe(ref dst, (nuint)i);
                Vector.ShiftLeft(hi, 16).StoreUnsafe(ref dst, (nuint)(i + Vector<uint>.Count));
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = (uint)Unsafe.Add(ref src, i) << 16;
        }
    }

    /// <summary>float32 to bfloat16 bits, rounding to nearest, ties to even; NaN becomes a quiet NaN of the same sign.</summary>
    public static void Float32ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        int i = 0;
        int n = source.Length;
        ref uint src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref ushort dst = ref MemoryMarshal.GetReference(destination);
        if (Vector.IsHardwareAccelerated)
        {
            int step = Vector<ushort>.Count;
            int half = Vector<uint>.Count;
            for (; i <= n - step; i += step)
            {
                Vector<uint> lo = RoundToBFloat16(Vector.LoadUnsafe(ref src, (nuint)i));
                Vector<uint> hi = RoundToBFloat16(Vector.LoadUnsafe(ref src, (nuint)(i + half)));
                Vector.Narrow(lo, hi).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = RoundToBFloat16(Unsafe.Add(ref src, i));
        }
    }

    /// <summary>One float32 (as bits) to bfloat16 bits, round to nearest even.</summary>
    public static ushort RoundToBFloat16(uint bits)
    {
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x0040u);
        }

        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> RoundToBFloat16(Vector<uint> bits)
    {
        Vector<uint> one = Vector<uint>.One;
        Vector<uint> rounded = Vector.ShiftRightLogical(bits + new Vector<uint>(0x7FFFu) + (Vector.ShiftRightLogical(bits, 16) & one), 16);
        Vector<uint> quietNan = Vector.ShiftRightLogical(bits, 16) | new Vector<uint>(0x0040u);
        Vector<uint> isNan = Vector.GreaterThan(bits & new Vector<uint>(0x7FFF_FFFFu), new Vector<uint>(0x7F80_0000u));
        return Vector.ConditionalSelect(isNan, quietNan, rounded);
    }

    private static void Lookup(float[] table, ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    private static float[] BuildFloat8E4M3Table()
    {
        // float8_e4m3fn: bias 7, no infinities, S.1111.111 is NaN.
        var table = new float[256];
        for (int b = 0; b < 256; b++)
        {
            int sign = b >> 7;
            int exponent = (b >> 3) & 0xF;
            int mantissa = b & 0x7;
            float value;
            if (exponent == 0xF && mantissa == 0x7)
            {
                value = float.NaN;
            }
            else if (exponent == 0)
            {
                value = mantissa / 8f * MathF.Pow(2, -6);
            }
            else
            {
                value = (1 + (mantissa / 8f)) * MathF.Pow(2, exponent - 7);
            }

            table[b] = sign == 1 ? -value : value;
        }

        return table;
    }

    private static float[] BuildFloat8E5M2Table()
    {
        var table = new float[256];
        for (int b = 0; b < 256; b++)
        {
            table[b] = (float)BitConverter.UInt16BitsToHalf((ushort)(b << 8));
        }

        return table;
    }
}
