namespace Andes.ModelBuilder;

/// <summary>Element types a safetensors file can declare (the <c>dtype</c> field of a tensor's header entry).</summary>
public enum TensorDataType
{
    /// <summary>32-bit IEEE float (<c>F32</c>).</summary>
    Float32,
    /// <summary>16-bit IEEE float (<c>F16</c>).</summary>
    Float16,
    /// <summary>bfloat16 (<c>BF16</c>): the upper half of a float32.</summary>
    BFloat16,
    /// <summary>64-bit IEEE float (<c>F64</c>).</summary>
    Float64,
    /// <summary>Signed 64-bit integer (<c>I64</c>).</summary>
    Int64,
    /// <summary>Signed 32-bit integer (<c>I32</c>).</summary>
    Int32,
    /// <summary>Signed 8-bit integer (<c>I8</c>).</summary>
    Int8,
    /// <summary>Unsigned 8-bit integer (<c>U8</c>).</summary>
    UInt8,
    /// <summary>Boolean, one byte each (<c>BOOL</c>).</summary>
    Bool,
    /// <summary>Signed 16-bit integer (<c>I16</c>).</summary>
    Int16,
    /// <summary>Unsigned 16-bit integer (<c>U16</c>).</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integer (<c>U32</c>).</summary>
    UInt32,
    /// <summary>Unsigned 64-bit integer (<c>U64</c>).</summary>
    UInt64,
    /// <summary>8-bit float, 4 exponent and 3 mantissa bits, finite only (<c>F8_E4M3</c>, PyTorch <c>float8_e4m3fn</c>).</summary>
    Float8E4M3,
    /// <summary>8-bit float, 5 exponent and 2 mantissa bits (<c>F8_E5M2</c>): the upper byte of a float16.</summary>
    Float8E5M2,
}
