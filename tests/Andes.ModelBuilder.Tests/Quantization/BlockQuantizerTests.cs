using Andes.ModelBuilder;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Quantization;

public sealed class BlockQuantizerTests(ITestOutputHelper output)
{
    private static readonly QuantizationOptions Asym4x16 = new() { Bits = 4, BlockSize = 16, Symmetric = false };

    [Fact]
    public void HandBuiltAsymmetricInt4LayoutHasEvenElementsInLowNibblesAndZeroPadding()
    {
        // Row 0, block 0: w = i - 5 -> range [-5, 10], scale 1, zp 5, codes 0..15.
        // Row 0, block 1 (K = 20: 4 real elements + 12 padding): [2, -2, 4, 0] -> range [-2, 4], scale 0.4, zp 5,
        // codes [10, 0, 15, 5], padding codes 5 (the code of 0).
        // Row 1: all zeros -> scale 0, codes and zero points 8.
        const int K = 20;
        var w = new float[2 * K];
        for (int i = 0; i < 16; i++)
        {
            w[i] = i - 5;
        }

        w[16] = 2;
        w[17] = -2;
        w[18] = 4;
        w[19] = 0;

        QuantizedWeight q = BlockQuantizer.Quantize(w, 2, K, Asym4x16);

        Assert.Equal([2L, 2, 8], q.Layout.QuantizedShape);
        Assert.Equal([2L, 2], q.Layout.ScalesShape);
        Assert.Equal([2L, 1], q.Layout.ZeroPointsShape);
        byte[] expected =
        [
            0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, // row 0 block 0
            0x0A, 0x5F, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, // row 0 block 1: (10, 0), (15, 5), padding
            0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, // row 1 block 0
            0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, // row 1 block 1
        ];
        Assert.Equal(expected, q.Data);
        Assert.Equal([1f, 0.4f, 0f, 0f], q.Scales);
        Assert.Equal([(byte)0x55, 0x88], q.ZeroPoints);

        float[] back = BlockQuantizer.Dequantize(q);
        Assert.Equal(w.Length, back.Length);
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(w[i], back[i], 5);
        }
    }

    [Fact]
    public void HandBuiltSymmetricInt4PutsTheLargerSideOnTheMinus8Code()
    {
        // Block 0: i - 8 (-8..7): scale +1, codes 0..15. Block 1: 8 - i (8..-7): scale -1, codes 0..15 too.
        var w = new float[32];
        for (int i = 0; i < 16; i++)
        {
            w[i] = i - 8;
            w[16 + i] = 8 - i;
        }

        QuantizedWeight q = BlockQuantizer.Quantize(w, 1, 32, new QuantizationOptions { Bits = 4, BlockSize = 16, Symmetric = true });

        Assert.Null(q.ZeroPoints);
        Assert.False(q.Layout.HasZeroPoints);
        Assert.Equal([1f, -1f], q.Scales);
        byte[] block = [0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE];
        Assert.Equal([.. block, .. block], q.Data);
        Assert.Equal(w, BlockQuantizer.Dequantize(q));
    }

    [Fact]
    public void ZeroPointsOfAnOddBlockCountArePackedEvenBlockLow()
    {
        // K = 40, block 16 -> 3 blocks (the last one partial). Block b spans [-(b + 1), 14 - b]: 15 steps of 1,
        // so scale 1 and zero point b + 1: zero-point bytes [1 | 2 << 4, 3].
        const int K = 40;
        var w = new float[K];
        for (int b = 0; b < 3; b++)
        {
            int count = Math.Min(16, K - (b * 16));
            for (int i = 0; i < count; i++)
            {
                w[(b * 16) + i] = i == 0 ? -(b + 1) : (i == 1 ? 14 - b : 0);
            }
        }

        QuantizedWeight q = BlockQuantizer.Quantize(w, 1, K, Asym4x16);

        Assert.Equal(3, q.Layout.BlockCount);
        Assert.Equal(2, q.Layout.ZeroPointBytesPerRow);
        Assert.Equal([1f, 1f, 1f], q.Scales);
        Assert.Equal([(byte)(1 | (2 << 4)), 3], q.ZeroPoints);
        Assert.Equal(w, BlockQuantizer.Dequantize(q));
    }

    [Theory]
    [InlineData(4, 16, false)]
    [InlineData(4, 32, false)]
    [InlineData(4, 32, true)]
    [InlineData(4, 128, false)]
    [InlineData(4, 128, true)]
    [InlineData(4, 256, true)]
    [InlineData(8, 32, false)]
    [InlineData(8, 32, true)]
    [InlineData(8, 128, false)]
    [InlineData(8, 128, true)]
    public void EveryElementIsWithinHalfAStepOfItsBlockScale(int bits, int blockSize, bool symmetric)
    {
        const int N = 37, K = 300; // K not a multiple of any block size
        float[] w = TestData.Gaussian(N * K, 0.02, seed: bits * 1000 + blockSize + (symmetric ? 1 : 0));
        var options = new QuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric };
        var stats = new QuantizationErrorStats("w");

        QuantizedWeight q = BlockQuantizer.Quantize(w, N, K, options, stats);
        float[] back = BlockQuantizer.Dequantize(q);

        int blocks = (K + blockSize - 1) / blockSize;
        double maxError = 0, sumError = 0;
        for (int r = 0; r < N; r++)
        {
            for (int c = 0; c < K; c++)
            {
                float scale = Math.Abs(q.Scales[(r * blocks) + (c / blockSize)]);
                double error = Math.Abs((double)w[(r * K) + c] - back[(r * K) + c]);
                Assert.True(error <= (scale * 0.5 * (1 + 1e-5)) + 1e-12, $"row {r} col {c}: error {error} > scale {scale} / 2");
                maxError = Math.Max(maxError, error);
                sumError += error;
            }
        }

        Assert.Equal(N, stats.RowCount);
        Assert.Equal(N * K, stats.ElementCount);
        Assert.Equal(maxError, stats.MaxAbsError, 1e-9);
        Assert.Equal(sumError / (N * K), stats.MeanAbsError, 1e-9);
        Assert.InRange(stats.RelativeRmsError, 1e-4, bits == 4 ? 0.2 : 0.02);
        output.WriteLine(stats.ToString());
    }

    [Fact]
    public void PaddingDequantisesToZeroAndIsNotCountedInTheError()
    {
        const int K = 33; // block 32: the second block has one real element and 31 padding elements
        float[] w = TestData.Gaussian(4 * K, 0.02, seed: 3, mean: 0.05);
        foreach (bool symmetric in new[] { false, true })
        {
            foreach (int bits in new[] { 4, 8 })
            {
                var options = new QuantizationOptions { Bits = bits, BlockSize = 32, Symmetric = symmetric };
                QuantizedWeight q = BlockQuantizer.Quantize(w, 4, K, options);
                MatMulNBitsLayout layout = q.Layout;
                Assert.Equal(2, layout.BlockCount);
                for (int r = 0; r < 4; r++)
                {
                    int zp = symmetric ? options.ImpliedZeroPoint
                        : bits == 8 ? q.ZeroPoints![(r * layout.ZeroPointBytesPerRow) + 1]
                        : q.ZeroPoints![r * layout.ZeroPointBytesPerRow] >> 4;
                    for (int c = 1; c < 32; c++)
                    {
                        Assert.Equal(zp, Code(q, r, 1, c));
                    }
                }
            }
        }
    }

    [Fact]
    public void AsymmetricBeatsSymmetricOnSkewedData()
    {
        const int N = 64, K = 256;
        float[] w = TestData.Gaussian(N * K, 0.01, seed: 5, mean: 0.04); // almost all positive
        var asym = new QuantizationErrorStats();
        var sym = new QuantizationErrorStats();
        BlockQuantizer.Quantize(w, N, K, new QuantizationOptions { BlockSize = 32, Symmetric = false }, asym);
        BlockQuantizer.Quantize(w, N, K, new QuantizationOptions { BlockSize = 32, Symmetric = true }, sym);
        output.WriteLine($"asymmetric: {asym}");
        output.WriteLine($"symmetric:  {sym}");
        Assert.True(asym.RelativeRmsError < 0.7 * sym.RelativeRmsError, $"asym {asym.RelativeRmsError} vs sym {sym.RelativeRmsError}");
        Assert.True(asym.MaxAbsError < sym.MaxAbsError);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    [InlineData(8, true)]
    public void AllZeroBlockHasScaleZeroAndNoNaN(int bits, bool symmetric)
    {
        var w = new float[64];
        w[40] = 0.5f; // second block (block 32) is not zero
        var options = new QuantizationOptions { Bits = bits, BlockSize = 32, Symmetric = symmetric };
        var stats = new QuantizationErrorStats();
        QuantizedWeight q = BlockQuantizer.Quantize(w, 1, 64, options, stats);

        Assert.Equal(0f, q.Scales[0]);
        Assert.True(q.Scales[1] != 0);
        float[] back = BlockQuantizer.Dequantize(q);
        Assert.All(back, v => Assert.False(float.IsNaN(v)));
        Assert.Equal(w, back);
        Assert.Equal(0, stats.MaxAbsError);
        Assert.False(double.IsNaN(stats.RelativeRmsError));
    }

    [Fact]
    public void AllZeroTensorHasZeroRelativeError()
    {
        var stats = new QuantizationErrorStats();
        QuantizedWeight q = BlockQuantizer.Quantize(new float[3 * 40], 3, 40, Asym4x16, stats);
        Assert.All(q.Scales, s => Assert.Equal(0f, s));
        Assert.Equal(0, stats.RelativeRmsError);
        Assert.Equal(0, stats.MeanAbsError);
    }

    [Fact]
    public void Int8UsesOneBytePerElementAndZeroPoint128WhenSymmetric()
    {
        var w = new float[32];
        for (int i = 0; i < 32; i++)
        {
            w[i] = (i - 16) / 128f; // -0.125 .. 0.1171875: symmetric scale 1/1024, codes 0, 8, 16, ...
        }

        QuantizedWeight sym = BlockQuantizer.Quantize(w, 1, 32, new QuantizationOptions { Bits = 8, BlockSize = 32, Symmetric = true });
        Assert.Equal([1L, 1, 32], sym.Layout.QuantizedShape);
        Assert.Null(sym.ZeroPoints);
        Assert.Equal(128, new QuantizationOptions { Bits = 8 }.ImpliedZeroPoint);
        Assert.Equal(0.125f / 128, sym.Scales[0]);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal(i * 8, sym.Data[i]);
        }

        Assert.Equal(w, BlockQuantizer.Dequantize(sym));

        QuantizedWeight asym = BlockQuantizer.Quantize(w, 1, 32, new QuantizationOptions { Bits = 8, BlockSize = 32 });
        Assert.Equal([1L, 1], asym.Layout.ZeroPointsShape);
        float scale = asym.Scales[0];
        Assert.Equal((0.1171875f + 0.125f) / 255f, scale, 6);
        Assert.Equal((byte)MathF.Round(0.125f / scale), asym.ZeroPoints![0]);
        Assert.Equal(0, asym.Data[0]);
        Assert.Equal(255, asym.Data[31]);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    public void QuantisingInRowChunksEqualsQuantisingTheWholeWeight(int bits, bool symmetric)
    {
        const int N = 10, K = 70;
        float[] w = TestData.Gaussian(N * K, 0.02, seed: 9);
        var options = new QuantizationOptions { Bits = bits, BlockSize = 32, Symmetric = symmetric };
        var wholeStats = new QuantizationErrorStats();
        QuantizedWeight whole = BlockQuantizer.Quantize(w, N, K, options, wholeStats);
        MatMulNBitsLayout layout = whole.Layout;

        // Caller-provided buffers filled with garbage: every byte must be written.
        var data = new byte[layout.QuantizedByteCount];
        var scales = new float[layout.ScaleCount];
        var zeroPoints = new byte[layout.ZeroPointByteCount];
        Array.Fill(data, (byte)0xA5);
        Array.Fill(zeroPoints, (byte)0xA5);
        var chunkStats = new QuantizationErrorStats();
        for (int first = 0; first < N; first += 3)
        {
            int rows = Math.Min(3, N - first);
            var part = new QuantizationErrorStats();
            BlockQuantizer.QuantizeRows(
                w.AsSpan(first * K, rows * K),
                K,
                options,
                data.AsSpan(first * layout.QuantizedBytesPerRow, rows * layout.QuantizedBytesPerRow),
                scales.AsSpan(first * layout.ScalesPerRow, rows * layout.ScalesPerRow),
                zeroPoints.AsSpan(first * layout.ZeroPointBytesPerRow, rows * layout.ZeroPointBytesPerRow),
                part);
            chunkStats.Merge(part);
        }

        Assert.Equal(whole.Data, data);
        Assert.Equal(whole.Scales, scales);
        Assert.Equal(whole.ZeroPoints ?? [], zeroPoints);
        Assert.Equal(wholeStats.RowCount, chunkStats.RowCount);
        Assert.Equal(wholeStats.MaxAbsError, chunkStats.MaxAbsError);
        Assert.Equal(wholeStats.MeanAbsError, chunkStats.MeanAbsError, 1e-12);
        Assert.Equal(wholeStats.RelativeRmsError, chunkStats.RelativeRmsError, 1e-12);

        // And rows dequantise independently.
        var rowsBack = new float[2 * K];
        BlockQuantizer.DequantizeRows(
            data.AsSpan(4 * layout.QuantizedBytesPerRow, 2 * layout.QuantizedBytesPerRow),
            scales.AsSpan(4 * layout.ScalesPerRow, 2 * layout.ScalesPerRow),
            zeroPoints.AsSpan(4 * layout.ZeroPointBytesPerRow, 2 * layout.ZeroPointBytesPerRow),
            K,
            options,
            rowsBack);
        Assert.Equal(BlockQuantizer.Dequantize(whole).AsSpan(4 * K, 2 * K).ToArray(), rowsBack);
    }

    [Fact]
    public void NonFiniteWeightIsRejectedNamingTensorRowAndColumn()
    {
        float[] w = TestData.Gaussian(4 * 64, 0.02, seed: 1);
        w[(2 * 64) + 37] = float.NaN;
        var options = new QuantizationOptions();
        var stats = new QuantizationErrorStats("layers.0.q_proj.weight");
        var data = new byte[4 * 2 * 16];
        var scales = new float[4 * 2];
        var zeroPoints = new byte[4];

        // First chunk of 2 rows is fine; the NaN is in row 0 of the second chunk = row 2 of the tensor.
        BlockQuantizer.QuantizeRows(w.AsSpan(0, 128), 64, options, data.AsSpan(0, 64), scales.AsSpan(0, 4), zeroPoints.AsSpan(0, 2), stats);
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            BlockQuantizer.QuantizeRows(w.AsSpan(128, 128), 64, options, data.AsSpan(64, 64), scales.AsSpan(4, 4), zeroPoints.AsSpan(2, 2), stats));
        Assert.Contains("layers.0.q_proj.weight", e.Message);
        Assert.Contains("row 2, column 37", e.Message);
        Assert.Contains("NaN", e.Message);

        w[(2 * 64) + 37] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(w, 4, 64, options));
    }

    [Fact]
    public void WrongBufferLengthsAndOptionsAreRejected()
    {
        var w = new float[2 * 64];
        var options = new QuantizationOptions();
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            BlockQuantizer.QuantizeRows(w, 64, options, new byte[63], new float[4], new byte[2]));
        Assert.Equal("quantized", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BlockQuantizer.QuantizeRows(w, 64, options, new byte[64], new float[3], new byte[2]));
        Assert.Equal("scales", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BlockQuantizer.QuantizeRows(w, 64, options, new byte[64], new float[4], new byte[0]));
        Assert.Equal("zeroPoints", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BlockQuantizer.QuantizeRows(w, 60, options, new byte[64], new float[4], new byte[2]));
        Assert.Equal("weights", e.ParamName);

        Assert.Throws<ArgumentOutOfRangeException>(() => BlockQuantizer.Quantize(w, 2, 64, new QuantizationOptions { Bits = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockQuantizer.Quantize(w, 2, 64, new QuantizationOptions { BlockSize = 48 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockQuantizer.Quantize(w, 2, 64, new QuantizationOptions { BlockSize = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockQuantizer.Quantize(w, 2, 64, new QuantizationOptions { BlockSize = 512 }));
        ArgumentOutOfRangeException level = Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizationOptions { AccuracyLevel = 5 }.Validate());
        Assert.Contains("AccuracyLevel", level.Message);
    }

    [Fact]
    public void LayoutReportsMatMulNBitsShapes()
    {
        MatMulNBitsLayout l = MatMulNBitsLayout.Create(3072, 1000, new QuantizationOptions { Bits = 4, BlockSize = 128 });
        Assert.Equal(8, l.BlockCount);
        Assert.Equal(64, l.BytesPerBlock);
        Assert.Equal([3072L, 8, 64], l.QuantizedShape);
        Assert.Equal([3072L, 8], l.ScalesShape);
        Assert.Equal([3072L, 4], l.ZeroPointsShape);
        Assert.Equal(3072L * 8 * 64, l.QuantizedByteCount);

        MatMulNBitsLayout l8 = MatMulNBitsLayout.Create(10, 100, new QuantizationOptions { Bits = 8, BlockSize = 32, Symmetric = true });
        Assert.Equal([10L, 4, 32], l8.QuantizedShape);
        Assert.Equal(0, l8.ZeroPointBytesPerRow);
        Assert.False(l8.HasZeroPoints);
    }

    [Fact]
    public void ErrorsOnNormalWeightsForEachMode()
    {
        // The numbers the converter will log, for N(0, 0.02) weights of a 1024 x 1024 projection.
        const int N = 1024, K = 1024;
        float[] w = TestData.Gaussian(N * K, 0.02, seed: 2024);
        foreach (int bits in new[] { 4, 8 })
        {
            foreach (int blockSize in new[] { 32, 128 })
            {
                foreach (bool symmetric in new[] { false, true })
                {
                    var stats = new QuantizationErrorStats($"int{bits} block {blockSize} {(symmetric ? "sym" : "asym")}");
                    BlockQuantizer.Quantize(w, N, K, new QuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric }, stats);
                    output.WriteLine(stats.ToString());
                    Assert.InRange(stats.RelativeRmsError, 0, bits == 4 ? 0.12 : 0.008);
                }
            }
        }
    }

    private static int Code(QuantizedWeight q, int row, int block, int index)
    {
        MatMulNBitsLayout l = q.Layout;
        int offset = (row * l.QuantizedBytesPerRow) + (block * l.BytesPerBlock);
        if (l.Bits == 8)
        {
            return q.Data[offset + index];
        }

        byte b = q.Data[offset + (index / 2)];
        return index % 2 == 0 ? b & 0x0F : b >> 4;
    }
}
