namespace Andes.ModelBuilder;

/// <summary>The tensor names of AndesVL's vision-to-language connector: Linear(4Hv, 4Hv), GELU, Linear(4Hv, H).</summary>
internal static class ConnectorTensorNames
{
    public const string Fc1Weight = "mlp.0.weight";
    public const string Fc1Bias = "mlp.0.bias";
    public const string Fc2Weight = "mlp.2.weight";
    public const string Fc2Bias = "mlp.2.bias";
}
