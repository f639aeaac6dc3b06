namespace Andes.ModelBuilder;

/// <summary>A tensor to be written by <see cref="SafeTensorsWriter"/> or <see cref="ShardedSafeTensorsWriter"/>.</summary>
/// <param name="Name">The tensor's name in the checkpoint.</param>
/// <param name="DataType">The stored element type.</param>
/// <param name="Shape">The dimensions (empty for a scalar).</param>
public sealed record TensorDeclaration(string Name, TensorDataType DataType, long[] Shape)
{
    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Shape)
            {
                n = checked(n * d);
            }

            return n;
        }
    }

    /// <summary>The stored size in bytes.</summary>
    public long ByteLength => checked(ElementCount * DataType.GetElementSize());

    /// <summary>Checks the name and shape, throwing <see cref="ArgumentException"/> naming the tensor.</summary>
    internal void Validate()
    {
        if (string.IsNullOrEmpty(Name))
        {
            throw new ArgumentException("A tensor name is empty.");
        }

        if (Name == "__metadata__")
        {
            throw new ArgumentException("'__metadata__' is reserved by the safetensors format and cannot name a tensor.");
        }

        if (Shape is null || Shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Tensor '{Name}' has an invalid shape {(Shape is null ? "(null)" : SafeTensorsHeader.FormatShape(Shape))}.");
        }

        _ = DataType.GetElementSize();
        _ = ByteLength;
    }
}
