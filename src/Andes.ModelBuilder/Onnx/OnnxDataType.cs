using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>Shorthands for ONNX element types (TensorProto.DataType values).</summary>
internal static class OnnxDataType
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Float16 = (int)TensorProto.Types.DataType.Float16;
    public const int UInt8 = (int)TensorProto.Types.DataType.Uint8;
    public const int Int8 = (int)TensorProto.Types.DataType.Int8;
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;
    public const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(int dataType) => dataType switch
    {
        Float or Int32 => 4,
        Float16 => 2,
        UInt8 or Int8 or Bool => 1,
        Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unsupported ONNX element type."),
    };
}
