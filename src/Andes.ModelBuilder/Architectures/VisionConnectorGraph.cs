using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// AndesVL's connector: the tower's output [1, N, Hv] viewed as rows of merge*merge*Hv (each 2x2 group's patches
/// side by side), then Linear + bias, exact GELU (erf), Linear + bias to the language model's hidden size, written as
/// the graph output <c>image_features</c>.
/// </summary>
internal static class VisionConnectorGraph
{
    /// <summary>The connector's tensors.</summary>
    public const int TensorCount = 4;

    public static void Emit(OnnxGraphBuilder g, ConversionContext context, LinearLayerWriter linears, string tokens, int visionHidden, int merge, int textHidden)
    {
        int merged = visionHidden * merge * merge;
        WeightPrecision precision = context.Options.Precision;
        string rows = g.Node("Reshape", [tokens, g.Vector("connector.rows_shape", -1, merged)], "connector.rows");
        string fc1 = linears.Emit(g, rows, ConnectorTensorNames.Fc1Weight, merged, merged, precision, "connector.fc1");
        fc1 = g.Node("Add", [fc1, ExactTensorWriter.Write(context, g, ConnectorTensorNames.Fc1Bias, [merged])], "connector.fc1_bias");
        string act = g.Node("Gelu", [fc1], "connector.gelu", "com.microsoft");
        string fc2 = linears.Emit(g, act, ConnectorTensorNames.Fc2Weight, textHidden, merged, precision, "connector.fc2");
        g.Node("Add", [fc2, ExactTensorWriter.Write(context, g, ConnectorTensorNames.Fc2Bias, [textHidden])], VisionGraphContract.ImageFeatures);
    }
}
