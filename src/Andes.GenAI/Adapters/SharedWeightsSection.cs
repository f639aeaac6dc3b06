using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The part of <c>andes_lora.json</c> that lets the engine open the base decoder and the LoRA decoder on one copy of
/// the weights: the external data file both graphs read and every tensor in it (ONNX Runtime then pre-packs each
/// weight once for both sessions). Written by Andes.ModelBuilder when it converts with LoRA targets.
/// </summary>
public sealed class SharedWeightsSection
{
    /// <summary>The external data file, relative to the model folder.</summary>
    [JsonPropertyName("file")] public string File { get; set; } = string.Empty;

    /// <summary>The tensors in it.</summary>
    [JsonPropertyName("tensors")] public IList<SharedWeightTensor> Tensors { get; set; } = [];
}
