using Andes.ModelBuilder;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Quantization;

/// <summary>
/// Runs the quantiser's output through ONNX Runtime's own com.microsoft.MatMulNBits kernel (a one-node model built
/// here with the ONNX protobuf classes) and checks Y = A x dequant(W)^T, so the layout is proven, not assumed.
/// </summary>
public sealed class MatMulNBitsOnnxRuntimeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, 32, false, 256)]
    [InlineData(4, 32, true, 256)]
    [InlineData(4, 128, false, 256)]
    [InlineData(4, 128, true, 256)]
    [InlineData(4, 32, false, 100)] // K not a multiple of the block: padding must be ignored by the kernel
    [InlineData(4, 128, true, 200)]
    [InlineData(4, 16, false, 48)]
    [InlineData(8, 32, false, 256)]
    [InlineData(8, 32, true, 256)]
    [InlineData(8, 128, false, 256)]
    [InlineData(8, 128, true, 200)]
    public void OnnxRuntimeMatchesTheDequantisedMatmulAtAccuracyLevel0(int bits, int blockSize, bool symmetric, int k)
    {
        const int M = 5, N = 24;
        var options = new QuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric, AccuracyLevel = 0 };
        float[] w = TestData.Gaussian(N * k, 0.02, seed: k + blockSize + bits);
        // A skewed row block so that the asymmetric zero points differ from the midpoint.
        for (int i = 0; i < k; i++)
        {
            w[i] = Math.Abs(w[i]) + 0.01f;
        }

        float[] a = TestData.Gaussian(M * k, 1.0, seed: 77);
        QuantizedWeight q = BlockQuantizer.Quantize(w, N, k, options);
        if (symmetric)
        {
            Assert.Contains(q.Scales, s => s < 0); // negative scales (the symmetric rule's sign flip) must work too
        }

        float[] dequantised = BlockQuantizer.Dequantize(q);

        float[] y = Run(q, a, M);
        double[] expected = MatMulTransposed(a, dequantised, M, N, k);
        double maxDiff = 0, maxY = 0;
        for (int i = 0; i < y.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(y[i] - expected[i]));
            maxY = Math.Max(maxY, Math.Abs(expected[i]));
        }

        output.WriteLine($"int{bits} block {blockSize} {(symmetric ? "sym" : "asym")} K={k}: max |ORT - ref| = {maxDiff:G3} (max |y| {maxY:G3})");
        Assert.True(maxDiff < 1e-5, $"max |ORT - reference| = {maxDiff}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AccuracyLevel4RunsTheSameWeightsWithInt8Activations(bool symmetric)
    {
        const int M = 4, N = 64, K = 256;
        var options = new QuantizationOptions { Bits = 4, BlockSize = 32, Symmetric = symmetric, AccuracyLevel = 4 };
        float[] w = TestData.Gaussian(N * K, 0.02, seed: 5);
        float[] a = TestData.Gaussian(M * K, 1.0, seed: 6);
        QuantizedWeight q = BlockQuantizer.Quantize(w, N, K, options);
        if (symmetric)
        {
            Assert.Contains(q.Scales, s => s < 0); // the symmetric rule flips the sign of some scales: the kernel must cope
        }

        float[] y = Run(q, a, M);
        double[] expected = MatMulTransposed(a, BlockQuantizer.Dequantize(q), M, N, K);
        double maxDiff = 0, maxY = 0;
        for (int i = 0; i < y.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(y[i] - expected[i]));
            maxY = Math.Max(maxY, Math.Abs(expected[i]));
        }

        output.WriteLine($"accuracy_level 4 ({(symmetric ? "sym" : "asym")}): max |ORT - ref| = {maxDiff:G3} (max |y| {maxY:G3})");
        Assert.True(maxDiff < 0.02 * maxY, $"max |ORT - reference| = {maxDiff} for outputs up to {maxY}");
    }

    private static float[] Run(QuantizedWeight q, float[] a, int m)
    {
        byte[] model = BuildModel(q);
        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, sessionOptions);
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(a, [m, q.Layout.Columns]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["A"], [input], ["Y"]);
        Assert.Equal([(long)m, q.Layout.Rows], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static byte[] BuildModel(QuantizedWeight q)
    {
        MatMulNBitsLayout layout = q.Layout;
        var graph = new GraphProto { Name = "matmulnbits" };
        graph.Input.Add(FloatValue("A", "M", layout.Columns));
        graph.Output.Add(FloatValue("Y", "M", layout.Rows));
        graph.Initializer.Add(Tensor("B", TensorProto.Types.DataType.Uint8, layout.QuantizedShape, q.Data));
        var scaleBytes = new byte[q.Scales.Length * sizeof(float)];
        Buffer.BlockCopy(q.Scales, 0, scaleBytes, 0, scaleBytes.Length);
        graph.Initializer.Add(Tensor("scales", TensorProto.Types.DataType.Float, layout.ScalesShape, scaleBytes));

        var node = new NodeProto { Name = "q", OpType = "MatMulNBits", Domain = "com.microsoft" };
        node.Input.Add("A");
        node.Input.Add("B");
        node.Input.Add("scales");
        if (q.ZeroPoints is not null)
        {
            graph.Initializer.Add(Tensor("zero_points", TensorProto.Types.DataType.Uint8, layout.ZeroPointsShape, q.ZeroPoints));
            node.Input.Add("zero_points");
        }

        node.Output.Add("Y");
        node.Attribute.Add(Int("K", layout.Columns));
        node.Attribute.Add(Int("N", layout.Rows));
        node.Attribute.Add(Int("bits", layout.Bits));
        node.Attribute.Add(Int("block_size", layout.BlockSize));
        node.Attribute.Add(Int("accuracy_level", q.Options.AccuracyLevel));
        graph.Node.Add(node);

        var model = new ModelProto { IrVersion = 10, ProducerName = "Andes.ModelBuilder.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 21 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return model.ToByteArray();
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] shape, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(shape);
        return t;
    }

    private static ValueInfoProto FloatValue(string name, string rows, long columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static double[] MatMulTransposed(float[] a, float[] w, int m, int n, int k)
    {
        var y = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int c = 0; c < k; c++)
                {
                    sum += (double)a[(i * k) + c] * w[(j * k) + c];
                }

                y[(i * n) + j] = sum;
            }
        }

        return y;
    }
}
