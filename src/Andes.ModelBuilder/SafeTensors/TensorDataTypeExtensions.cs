namespace Andes.ModelBuilder;

/// <summary>Sizes and safetensors names of <see cref="TensorDataType"/> values.</summary>
public static class TensorDataTypeExtensions
{
    /// <summary>The size of one element in bytes.</summary>
    /// <param name="dataType">The element type.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined element type.</exception>
    public static int GetElementSize(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Float64 or TensorDataType.Int64 or TensorDataType.UInt64 => 8,
        TensorDataType.Float32 or TensorDataType.Int32 or TensorDataType.UInt32 => 4,
        TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Int16 or TensorDataType.UInt16 => 2,
        TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool or TensorDataType.Float8E4M3 or TensorDataType.Float8E5M2 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor element type."),
    };

    /// <summary>The <c>dtype</c> string a safetensors header uses for this type (<c>F32</c>, <c>BF16</c>, ...).</summary>
    /// <param name="dataType">The element type.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined element type.</exception>
    public static string ToSafeTensorsName(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Float64 => "F64",
        TensorDataType.Float32 => "F32",
        TensorDataType.Float16 => "F16",
        TensorDataType.BFloat16 => "BF16",
        TensorDataType.Int64 => "I64",
        TensorDataType.Int32 => "I32",
        TensorDataType.Int16 => "I16",
        TensorDataType.Int8 => "I8",
        TensorDataType.UInt64 => "U64",
        TensorDataType.UInt32 => "U32",
        TensorDataType.UInt16 => "U16",
        TensorDataType.UInt8 => "U8",
        TensorDataType.Bool => "BOOL",
        TensorDataType.Float8E4M3 => "F8_E4M3",
        TensorDataType.Float8E5M2 => "F8_E5M2",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor element type."),
    };

    /// <summary>The PyTorch name of this type as <c>config.json</c> writes it in <c>torch_dtype</c> (<c>bfloat16</c>, ...).</summary>
    /// <param name="dataType">The element type.</param>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined element type.</exception>
    public static string ToTorchName(this TensorDataType dataType) => dataType switch
    {
        TensorDataType.Float64 => "float64",
        TensorDataType.Float32 => "float32",
        TensorDataType.Float16 => "float16",
        TensorDataType.BFloat16 => "bfloat16",
        TensorDataType.Int64 => "int64",
        TensorDataType.Int32 => "int32",
        TensorDataType.Int16 => "int16",
        TensorDataType.Int8 => "int8",
        TensorDataType.UInt64 => "uint64",
        TensorDataType.UInt32 => "uint32",
        TensorDataType.UInt16 => "uint16",
        TensorDataType.UInt8 => "uint8",
        TensorDataType.Bool => "bool",
        TensorDataType.Float8E4M3 => "float8_e4m3fn",
        TensorDataType.Float8E5M2 => "float8_e5m2",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown tensor element type."),
    };

    /// <summary>Parses a safetensors <c>dtype</c> string (case-sensitive, as the format defines it).</summary>
    /// <param name="name">The header string, e.g. <c>BF16</c>.</param>
    /// <param name="dataType">The element type when the string is known.</param>
    /// <returns>Whether the string names a known element type.</returns>
    public static bool TryParseSafeTensorsName(string? name, out TensorDataType dataType)
    {
        switch (name)
        {
            case "F64": dataType = TensorDataType.Float64; return true;
            case "F32": dataType = TensorDataType.Float32; return true;
            case "F16": dataType = TensorDataType.Float16; return true;
            case "BF16": dataType = TensorDataType.BFloat16; return true;
            case "I64": dataType = TensorDataType.Int64; return true;
            case "I32": dataType = TensorDataType.Int32; return true;
            case "I16": dataType = TensorDataType.Int16; return true;
            case "I8": dataType = TensorDataType.Int8; return true;
            case "U64": dataType = TensorDataType.UInt64; return true;
            case "U32": dataType = TensorDataType.UInt32; return true;
            case "U16": dataType = TensorDataType.UInt16; return true;
            case "U8": dataType = TensorDataType.UInt8; return true;
            case "BOOL": dataType = TensorDataType.Bool; return true;
            case "F8_E4M3": dataType = TensorDataType.Float8E4M3; return true;
            case "F8_E5M2": dataType = TensorDataType.Float8E5M2; return true;
            default: dataType = default; return false;
        }
    }

    /// <summary>Whether <see cref="SafeTensorsWriter"/> can encode float32 values into this type.</summary>
    /// <param name="dataType">The element type.</param>
    public static bool IsWritableFromFloat32(this TensorDataType dataType) =>
        dataType is TensorDataType.Float32 or TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Float64;
}
