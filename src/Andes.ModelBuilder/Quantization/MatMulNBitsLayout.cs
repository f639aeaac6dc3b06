namespace Andes.ModelBuilder;

/// <summary>
/// The shapes and sizes of the three tensors ONNX Runtime's <c>MatMulNBits</c> takes for one linear weight
/// W [N, K] (PyTorch <c>Linear</c> layout: N output features, K input features, y = x W^T):
/// <list type="bullet">
/// <item><c>B</c>: uint8 [N, BlockCount, BytesPerBlock]; K is padded to BlockCount * BlockSize.</item>
/// <item><c>scales</c>: float [N, BlockCount].</item>
/// <item><c>zero_points</c>: uint8 [N, ZeroPointBytesPerRow], packed like the weights (4 bits: the even block in the
/// low nibble); absent for symmetric quantisation.</item>
/// </list>
/// </summary>
public sealed class MatMulNBitsLayout
{
    private MatMulNBitsLayout(int rows, int columns, int bits, int blockSize, bool symmetric)
    {
        Rows = rows;
        Columns = columns;
        Bits = bits;
        BlockSize = blockSize;
        BlockCount = (columns + blockSize - 1) / blockSize;
        BytesPerBlock = blockSize * bits / 8;
        ZeroPointBytesPerRow = symmetric ? 0 : (BlockCount * bits + 7) / 8;
    }

    /// <summary>Creates the layout of a weight of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    /// <param name="rows">N, the output features (rows of the PyTorch weight).</param>
    /// <param name="columns">K, the input features (columns of the PyTorch weight).</param>
    /// <param name="options">Bits, block size and symmetry.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or the options are invalid.</exception>
    public static MatMulNBitsLayout Create(int rows, int columns, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A quantised weight needs at least one row (N), not {rows}.");
        }

        if (columns <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"A quantised weight needs at least one column (K), not {columns}.");
        }

        return new MatMulNBitsLayout(rows, columns, options.Bits, options.BlockSize, options.Symmetric);
    }

    /// <summary>N: output features, the MatMulNBits <c>N</c> attribute.</summary>
    public int Rows { get; }

    /// <summary>K: input features, the MatMulNBits <c>K</c> attribute.</summary>
    public int Columns { get; }

    /// <summary>Bits per element (the <c>bits</c> attribute).</summary>
    public int Bits { get; }

    /// <summary>Elements per block (the <c>block_size</c> attribute).</summary>
    public int BlockSize { get; }

    /// <summary>Blocks per row: ceil(K / BlockSize).</summary>
    public int BlockCount { get; }

    /// <summary>Bytes of one packed block: BlockSize * Bits / 8.</summary>
    public int BytesPerBlock { get; }

    /// <summary>Bytes of <c>B</c> per row: BlockCount * BytesPerBlock.</summary>
    public int QuantizedBytesPerRow => BlockCount * BytesPerBlock;

    /// <summary>Scales per row (= BlockCount).</summary>
    public int ScalesPerRow => BlockCount;

    /// <summary>Bytes of packed zero points per row: ceil(BlockCount * Bits / 8); 0 when symmetric.</summary>
    public int ZeroPointBytesPerRow { get; }

    /// <summary>Whether a <c>zero_points</c> tensor is written (asymmetric quantisation).</summary>
    public bool HasZeroPoints => ZeroPointBytesPerRow > 0;

    /// <summary>The shape of <c>B</c>: [N, BlockCount, BytesPerBlock].</summary>
    public long[] QuantizedShape => [Rows, BlockCount, BytesPerBlock];

    /// <summary>The shape of <c>scales</c>: [N, BlockCount].</summary>
    public long[] ScalesShape => [Rows, BlockCount];

    /// <summary>The shape of <c>zero_points</c>: [N, ZeroPointBytesPerRow] (meaningless when symmetric).</summary>
    public long[] ZeroPointsShape => [Rows, ZeroPointBytesPerRow];

    /// <summary>Total bytes of <c>B</c>.</summary>
    public long QuantizedByteCount => (long)Rows * QuantizedBytesPerRow;

    /// <summary>Total number of scales.</summary>
    public long ScaleCount => (long)Rows * ScalesPerRow;

    /// <summary>Total bytes of <c>zero_points</c> (0 when symmetric).</summary>
    public long ZeroPointByteCount => (long)Rows * ZeroPointBytesPerRow;

    /// <inheritdoc />
    public override string ToString() =>
        $"MatMulNBits N={Rows} K={Columns} bits={Bits} block_size={BlockSize}: B [{Rows}, {BlockCount}, {BytesPerBlock}], scales [{Rows}, {BlockCount}]" +
        (HasZeroPoints ? $", zero_points [{Rows}, {ZeroPointBytesPerRow}]" : ", no zero_points");
}
