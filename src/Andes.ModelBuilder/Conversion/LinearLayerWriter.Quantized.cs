using System.Buffers;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <content>The MatMulNBits path: W is read, quantised and written a chunk of rows at a time.</content>
internal sealed partial class LinearLayerWriter
{
    private const int ChunkElements = 1 << 22; // 4M floats (16 MB) per read

    private string EmitQuantized(OnnxGraphBuilder g, string input, string weightName, int n, int k, int bits, string outputName, string logName, string initializerName)
    {
        ModelConversionOptions o = _context.Options;
        var options = new QuantizationOptions { Bits = bits, BlockSize = o.BlockSize, Symmetric = o.Symmetric, AccuracyLevel = o.AccuracyLevel };
        MatMulNBitsLayout layout = MatMulNBitsLayout.Create(n, k, options);
        var stats = new QuantizationErrorStats(weightName);
        _context.Source.GetInfo(weightName); // fails early, naming the tensor, when missing

        float[] scales = new float[layout.ScaleCount];
        byte[] zeroPoints = new byte[layout.ZeroPointByteCount];
        int rowsPerChunk = Math.Max(1, ChunkElements / k);
        string b = g.StreamedInitializer(initializerName + ".qweight", OnnxDataType.UInt8, layout.QuantizedShape, sink =>
        {
            float[] rows = ArrayPool<float>.Shared.Rent(rowsPerChunk * k);
            byte[] packed = ArrayPool<byte>.Shared.Rent(rowsPerChunk * layout.QuantizedBytesPerRow);
            try
            {
                for (int r0 = 0; r0 < n; r0 += rowsPerChunk)
                {
                    _context.CancellationToken.ThrowIfCancellationRequested();
                    int count = Math.Min(rowsPerChunk, n - r0);
                    Span<float> chunk = rows.AsSpan(0, count * k);
                    _context.Source.ReadFloat32(weightName, (long)r0 * k, chunk);
                    Span<byte> chunkBytes = packed.AsSpan(0, count * layout.QuantizedBytesPerRow);
                    BlockQuantizer.QuantizeRows(
                        chunk,
                        k,
                        options,
                        chunkBytes,
                        scales.AsSpan(r0 * layout.ScalesPerRow, count * layout.ScalesPerRow),
                        zeroPoints.AsSpan(r0 * layout.ZeroPointBytesPerRow, count * layout.ZeroPointBytesPerRow),
                        stats);
                    sink(chunkBytes);
                    _context.Advance(logName, (long)count * k);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rows);
                ArrayPool<byte>.Shared.Return(packed);
            }
        });

        string s = g.Initializer(initializerName + ".scales", scales, layout.ScalesShape);
        var inputs = new List<string> { input, b, s };
        if (layout.HasZeroPoints)
        {
            inputs.Add(g.Initializer(initializerName + ".zero_points", OnnxDataType.UInt8, zeroPoints, layout.ZeroPointsShape));
        }

        long bytes = layout.QuantizedByteCount + (layout.ScaleCount * 4) + layout.ZeroPointByteCount;
        _context.Record(new TensorConversionRecord(logName, [n, k], bits == 4 ? WeightPrecision.Int4 : WeightPrecision.Int8, bytes, stats.MaxAbsError, stats.MeanAbsError));
        return g.Node(
            "MatMulNBits",
            inputs,
            outputName,
            "com.microsoft",
            ("K", (long)k),
            ("N", (long)n),
            ("bits", (long)bits),
            ("block_size", (long)o.BlockSize),
            ("accuracy_level", (long)o.AccuracyLevel));
    }

}
