using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>One tensor of the shared weights file.</summary>
public sealed class SharedWeightTensor
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
