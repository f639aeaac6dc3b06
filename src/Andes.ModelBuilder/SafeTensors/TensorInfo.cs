namespace Andes.ModelBuilder;

/// <summary>Where one tensor of a checkpoint lives and what it holds.</summary>
/// <param name="Name">The tensor's name in the checkpoint.</param>
/// <param name="DataType">The stored element type.</param>
/// <param name="Shape">The tensor's dimensions (empty for a scalar).</param>
/// <param name="FilePath">The safetensors file holding it.</param>
/// <param name="DataOffset">Byte offset of its first element from the start of that file.</param>
/// <param name="ByteLength">Its length in bytes.</param>
public sealed record TensorInfo(string Name, TensorDataType DataType, long[] Shape, string FilePath, long DataOffset, long ByteLength)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Shape)
            {
                n *= d;
            }

            return n;
        }
    }
}
