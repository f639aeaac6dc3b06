using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>The sizes of one targeted linear: y [.., <see cref="OutFeatures"/>] = x [.., <see cref="InFeatures"/>] W^T.</summary>
/// <param name="InFeatures">K: the rows of lora_A ([K, r]).</param>
/// <param name="OutFeatures">N: the columns of lora_B ([r, N]).</param>
public readonly record struct LoraModuleShape(
    [property: JsonPropertyName("in_features")] int InFeatures,
    [property: JsonPropertyName("out_features")] int OutFeatures);
