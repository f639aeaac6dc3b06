namespace Andes.ModelBuilder;

/// <summary>
/// How the linear weights of a model are block-quantised for ONNX Runtime's <c>com.microsoft.MatMulNBits</c>
/// operator: element width, block length along the input dimension, symmetric or asymmetric blocks, and the
/// accuracy level the operator is asked to compute at.
/// </summary>
/// <remarks>
/// Defaults (4 bits, blocks of 32, asymmetric, accuracy level 4) are the usual CPU int4 setting; see
/// <see cref="BlockQuantizer"/> for the exact rounding rules of each mode.
/// </remarks>
public sealed class QuantizationOptions
{
    /// <summary>The bit widths <see cref="BlockQuantizer"/> writes: 4 and 8.</summary>
    public static IReadOnlyList<int> SupportedBits { get; } = [4, 8];

    /// <summary>The smallest block length MatMulNBits accepts (16).</summary>
    public const int MinBlockSize = 16;

    /// <summary>The largest block length supported here (256).</summary>
    public const int MaxBlockSize = 256;

    /// <summary>Bits per quantised element: 4 (int4, two per byte) or 8 (one per byte). Default 4.</summary>
    public int Bits { get; set; } = 4;

    /// <summary>
    /// Elements per quantisation block along the input (K) dimension: a power of two from 16 to 256. Default 32.
    /// Each block has its own scale (and zero point when asymmetric).
    /// </summary>
    public int BlockSize { get; set; } = 32;

    /// <summary>
    /// Whether blocks are symmetric: no zero-point tensor is written and ONNX Runtime implies 2^(Bits-1)
    /// (8 for 4 bits, 128 for 8 bits). When false (default) each block stores its own zero point.
    /// </summary>
    public bool Symmetric { get; set; }

    /// <summary>
    /// The MatMulNBits <c>accuracy_level</c> attribute: 0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 activations
    /// (fastest on CPU, least exact). It does not change the stored weights. Default 4.
    /// </summary>
    public int AccuracyLevel { get; set; } = 4;

    /// <summary>The zero point ONNX Runtime implies when none is stored: 2^(Bits-1).</summary>
    public int ImpliedZeroPoint => 1 << (Bits - 1);

    /// <summary>The largest quantised code: 2^Bits - 1.</summary>
    public int MaxCode => (1 << Bits) - 1;

    /// <summary>Checks every field and throws when one is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field holds an unsupported value (the message names it).</exception>
    public void Validate()
    {
        if (Bits is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(Bits), Bits, $"QuantizationOptions.Bits must be 4 or 8, not {Bits}.");
        }

        if (BlockSize < MinBlockSize || BlockSize > MaxBlockSize || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BlockSize), BlockSize, $"QuantizationOptions.BlockSize must be a power of two from {MinBlockSize} to {MaxBlockSize}, not {BlockSize}.");
        }

        if (AccuracyLevel is < 0 or > 4)
        {
            throw new ArgumentOutOfRangeException(
                nameof(AccuracyLevel), AccuracyLevel, $"QuantizationOptions.AccuracyLevel must be 0 to 4, not {AccuracyLevel}.");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"int{Bits}, block {BlockSize}, {(Symmetric ? "symmetric" : "asymmetric")}, accuracy level {AccuracyLevel}";
}
