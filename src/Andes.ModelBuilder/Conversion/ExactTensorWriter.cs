using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>Writes checkpoint tensors that stay float32 (norms, biases, position tables, the patch projection) as initializers, and logs them.</summary>
internal static class ExactTensorWriter
{
    /// <summary>Reads <paramref name="name"/> (checking its shape) and writes it as a float32 initializer of <paramref name="graphShape"/> (same element count; default the checkpoint shape).</summary>
    /// <returns>The initializer's name (the checkpoint name).</returns>
    public static string Write(ConversionContext context, OnnxGraphBuilder g, string name, long[] checkpointShape, long[]? graphShape = null)
    {
        float[] values = context.ReadAll(name, checkpointShape);
        g.Initializer(name, values, graphShape ?? checkpointShape);
        context.Record(new TensorConversionRecord(name, checkpointShape, WeightPrecision.Float32, values.LongLength * 4, 0, 0));
        return name;
    }

    /// <summary>
    /// Reads a weight whose checkpoint shape flattens to [rows, cols] (e.g. a Conv2d [out, c, p, p] used as a linear)
    /// and writes its transpose [cols, rows] for a MatMul.
    /// </summary>
    /// <returns>The initializer's name.</returns>
    public static string WriteTransposed(ConversionContext context, OnnxGraphBuilder g, string name, long[] checkpointShape, int rows, int cols)
    {
        float[] values = context.ReadAll(name, checkpointShape);
        if (values.LongLength != (long)rows * cols)
        {
            throw new CheckpointException($"Tensor '{name}' has {values.LongLength} elements, not {rows} x {cols}.", context.Source.GetInfo(name).FilePath, name);
        }

        var transposed = new float[values.Length];
        LinearLayerWriter.Transpose(values, transposed, rows, cols);
        string initializer = g.Initializer(name.Replace(".weight", string.Empty, StringComparison.Ordinal) + ".weight_t", transposed, cols, rows);
        context.Record(new TensorConversionRecord(name, checkpointShape, WeightPrecision.Float32, values.LongLength * 4, 0, 0));
        return initializer;
    }
}
