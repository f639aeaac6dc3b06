namespace Andes.ModelBuilder;

/// <summary>How a group of weights is stored in the converted model.</summary>
public enum WeightPrecision
{
    /// <summary>32-bit floats (MatMul / Gather on float).</summary>
    Float32,

    /// <summary>16-bit floats (embedding tables only: Gather then Cast to float).</summary>
    Float16,

    /// <summary>8-bit weight-only, block-wise (MatMulNBits bits=8).</summary>
    Int8,

    /// <summary>4-bit weight-only, block-wise (MatMulNBits bits=4).</summary>
    Int4,
}
