using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The part of <c>andes_lora.json</c> that lets the engine open the base decoder and the LoRA decoder on one copy of
/// the weights: the external data file both graphs read and every tensor in it (ONNX Runtime then pre-packs each
/// weight once for both sessions).
/// </summary>
internal sealed class SharedWeightsSection
{
    /// <summary>The external data file, relative to the model folder.</summary>
    [JsonPropertyName("file")] public string File { get; set; } = string.Empty;

    /// <summary>The tensors in it.</summary>
    [JsonPropertyName("tensors")] public List<SharedWeightTensor> Tensors { get; set; } = [];
}

/// <summary>One tensor of the shared weights file.</summary>
internal sealed class SharedWeightTensor
{
    /// <summary>The initializer's name (the same in both graphs).</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = string.Empty;

    /// <summary>The ONNX TensorProto data type.</summary>
    [JsonPropertyName("data_type")] public int DataType { get; set; }

    /// <summary>The dimensions.</summary>
    [JsonPropertyName("dims")] public long[] Dims { get; set; } = [];

    /// <summary>The byte offset in the file.</summary>
    [JsonPropertyName("offset")] public long Offset { get; set; }

    /// <summary>The byte length.</summary>
    [JsonPropertyName("length")] public long Length { get; set; }
}
