namespace Andes.ModelBuilder;

/// <summary>
/// A whole linear weight quantised in memory for <c>MatMulNBits</c>: the packed codes (<c>B</c>), the per-block
/// scales and, when asymmetric, the packed zero points. Meant for small weights and tests; a converter streaming a
/// large weight calls <see cref="BlockQuantizer.QuantizeRows"/> chunk by chunk instead.
/// </summary>
public sealed class QuantizedWeight
{
    /// <summary>Wraps already quantised tensors.</summary>
    /// <param name="layout">The shapes the arrays follow.</param>
    /// <param name="options">The options they were quantised with.</param>
    /// <param name="data">B: uint8 [N, BlockCount, BytesPerBlock], flattened.</param>
    /// <param name="scales">float [N, BlockCount], flattened.</param>
    /// <param name="zeroPoints">uint8 [N, ZeroPointBytesPerRow], flattened; null when symmetric.</param>
    /// <exception cref="ArgumentException">An array's length does not match <paramref name="layout"/>.</exception>
    public QuantizedWeight(MatMulNBitsLayout layout, QuantizationOptions options, byte[] data, float[] scales, byte[]? zeroPoints)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scales);
        if (data.LongLength != layout.QuantizedByteCount)
        {
            throw new ArgumentException($"B holds {data.LongLength} bytes; {layout} needs {layout.QuantizedByteCount}.", nameof(data));
        }

        if (scales.LongLength != layout.ScaleCount)
        {
            throw new ArgumentException($"scales holds {scales.LongLength} values; {layout} needs {layout.ScaleCount}.", nameof(scales));
        }

        if ((zeroPoints?.LongLength ?? 0) != layout.ZeroPointByteCount)
        {
            throw new ArgumentException(
                $"zero_points holds {zeroPoints?.LongLength ?? 0} bytes; {layout} needs {layout.ZeroPointByteCount}.", nameof(zeroPoints));
        }

        Layout = layout;
        Options = new QuantizationOptions { Bits = options.Bits, BlockSize = options.BlockSize, Symmetric = options.Symmetric, AccuracyLevel = options.AccuracyLevel };
        Data = data;
        Scales = scales;
        ZeroPoints = zeroPoints;
    }

    /// <summary>The shapes (N, K, blocks) of the tensors.</summary>
    public MatMulNBitsLayout Layout { get; }

    /// <summary>The options the weight was quantised with (a copy taken at construction).</summary>
    public QuantizationOptions Options { get; }

    /// <summary>The MatMulNBits <c>B</c> input: uint8 [N, BlockCount, BytesPerBlock], flattened row-major.</summary>
    public byte[] Data { get; }

    /// <summary>The MatMulNBits <c>scales</c> input: float [N, BlockCount], flattened row-major.</summary>
    public float[] Scales { get; }

    /// <summary>The MatMulNBits <c>zero_points</c> input: uint8 [N, ZeroPointBytesPerRow]; null when symmetric.</summary>
    public byte[]? ZeroPoints { get; }
}
