using Andes.ModelBuilder;
using Andes.Testing;
using Andes.Testing.Reference;
using Microsoft.ML.OnnxRuntime;

namespace Andes.ModelBuilder.Tests.Reference;

/// <summary>
/// The vision reference's building blocks against independent implementations: ONNX Runtime's own Resize kernel
/// (cubic a = -0.75 half_pixel with edge clamping, and linear half_pixel) for the position-table interpolation, and
/// known values for erf.
/// </summary>
public sealed class VisionReferenceMathTests
{
    [Theory]
    [InlineData(4, 2, 2)]
    [InlineData(4, 4, 6)]
    [InlineData(4, 12, 2)]
    [InlineData(32, 40, 70)]
    [InlineData(32, 10, 8)]
    [InlineData(16, 16, 16)]
    public void BicubicMatchesOnnxRuntimeResize(int side, int rows, int cols)
    {
        const int Channels = 5;
        float[] table = Random(side * side * Channels, side + rows + cols);
        double[,,] expected = VisionReferenceMath.ResizeBicubic(table, side, Channels, rows, cols);

        // ONNX Runtime wants [1, C, side, side].
        float[] nchw = new float[table.Length];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                for (int c = 0; c < Channels; c++)
                {
                    nchw[(((c * side) + y) * side) + x] = table[(((y * side) + x) * Channels) + c];
                }
            }
        }

        float[] actual = RunResize(nchw, [1, Channels, side, side], [1, Channels, rows, cols], "cubic");
        double worst = 0;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                for (int c = 0; c < Channels; c++)
                {
                    worst = Math.Max(worst, Math.Abs(expected[y, x, c] - actual[(((c * rows) + y) * cols) + x]));
                }
            }
        }

        Assert.True(worst <= 1e-5, $"bicubic {side} -> ({rows}, {cols}) differs from ONNX Runtime's Resize by {worst:G3}");
    }

    [Theory]
    [InlineData(16, 2, 2, 1e-5)]
    [InlineData(16, 4, 6, 1e-5)]
    [InlineData(1024, 40, 70, 3e-4)] // source indices near 1000 computed in float (as PyTorch does): ulp 6e-5
    public void LinearMatchesOnnxRuntimeResize(int length, int rows, int cols, double tolerance)
    {
        const int Channels = 3;
        float[] table = Random(length * Channels, length + rows);
        double[,,] expected = VisionReferenceMath.ResizeLinear(table, length, Channels, rows, cols);
        float[] ncw = new float[table.Length];
        for (int i = 0; i < length; i++)
        {
            for (int c = 0; c < Channels; c++)
            {
                ncw[(c * length) + i] = table[(i * Channels) + c];
            }
        }

        // As a 2-D resize of [1, C, 1, L] to [1, C, 1, rows * cols].
        float[] actual = RunResize(ncw, [1, Channels, 1, length], [1, Channels, 1, rows * cols], "linear");
        double worst = 0;
        for (int o = 0; o < rows * cols; o++)
        {
            for (int c = 0; c < Channels; c++)
            {
                worst = Math.Max(worst, Math.Abs(expected[o / cols, o % cols, c] - actual[(c * rows * cols) + o]));
            }
        }

        Assert.True(worst <= tolerance, $"linear {length} -> {rows * cols} differs from ONNX Runtime's Resize by {worst:G3}");
    }

    [Fact]
    public void CubicWeightPolynomialsOfTheGraphAreKeysKernel()
    {
        float[] c = PositionEmbeddingInterpolation.CubicWeightPolynomials(-0.75);
        foreach (double t in new[] { 0.0, 0.125, 0.3, 0.5, 0.77, 0.999 })
        {
            double[] direct = [Outer(t + 1), Inner(t), Inner(1 - t), Outer(2 - t)];
            for (int k = 0; k < 4; k++)
            {
                double poly = c[k] + (c[4 + k] * t) + (c[8 + k] * t * t) + (c[12 + k] * t * t * t);
                Assert.Equal(direct[k], poly, 6);
            }

            Assert.Equal(1.0, direct.Sum(), 12);
        }

        static double Inner(double x) => ((1.25 * x) - 2.25) * x * x + 1;

        static double Outer(double x) => ((((-0.75 * x) + 3.75) * x) - 6) * x + 3;
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(-0.3, -0.3286267594591112)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(-5.0, -0.9999999999984626)]
    public void ErfMatchesKnownValues(double x, double erf) => Assert.Equal(erf, VisionReferenceMath.Erf(x), 13);

    private static float[] RunResize(float[] input, long[] inputShape, long[] sizes, string mode)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string path = Path.Combine(temp.Path, "resize.onnx");
        using (var g = new OnnxGraphBuilder("resize", null))
        {
            string x = g.Input("x", OnnxDataType.Float, inputShape.Select(d => (object)d).ToArray());
            g.Output("y", OnnxDataType.Float, sizes.Select(d => (object)d).ToArray());
            g.Node("Resize", [x, string.Empty, string.Empty, g.Vector("sizes", sizes)], "y", "", ("mode", mode), ("cubic_coeff_a", -0.75f), ("coordinate_transformation_mode", "half_pixel"), ("exclude_outside", 0));
            g.Save(path, "test");
        }

        using var session = new InferenceSession(path);
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["x"], [value], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
