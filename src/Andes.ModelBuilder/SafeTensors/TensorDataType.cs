namespace Andes.ModelBuilder.SafeTensors;

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
}
