namespace Andes.ModelBuilder;

/// <summary>Whole-tensor reads with a shape check, for any <see cref="ITensorSource"/>.</summary>
public static class TensorSourceExtensions
{
    /// <summary>
    /// Describes a tensor after checking its shape.
    /// </summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="name">The tensor name.</param>
    /// <param name="expectedShape">The dimensions it must have.</param>
    /// <exception cref="CheckpointException">Missing tensor, or a different shape (the message gives both shapes and the tensor).</exception>
    public static TensorInfo GetInfo(this ITensorSource source, string name, params ReadOnlySpan<long> expectedShape)
    {
        ArgumentNullException.ThrowIfNull(source);
        TensorInfo info = source.GetInfo(name);
        if (!info.Shape.AsSpan().SequenceEqual(expectedShape))
        {
            throw new CheckpointException(
                $"Tensor '{name}' in '{info.FilePath}' has shape {SafeTensorsHeader.FormatShape(info.Shape)} but shape {SafeTensorsHeader.FormatShape(expectedShape)} was expected.",
                info.FilePath,
                name);
        }

        return info;
    }

    /// <summary>Reads a whole tensor as float32 after checking its shape.</summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="name">The tensor name.</param>
    /// <param name="expectedShape">The dimensions it must have (e.g. <c>vocab, hidden</c>; none for a scalar).</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="CheckpointException">Missing tensor, a different shape, or a tensor too large for one array.</exception>
    public static float[] ReadFloat32(this ITensorSource source, string name, params ReadOnlySpan<long> expectedShape)
    {
        TensorInfo info = source.GetInfo(name, expectedShape);
        if (info.ElementCount > Array.MaxLength)
        {
            throw new CheckpointException(
                $"Tensor '{name}' in '{info.FilePath}' has {info.ElementCount} elements, too many for one array: read it in ranges.",
                info.FilePath,
                name);
        }

        float[] values = GC.AllocateUninitializedArray<float>((int)info.ElementCount);
        source.ReadFloat32(name, 0, values);
        return values;
    }

    /// <summary>Reads a whole tensor as float32 into <paramref name="destination"/> after checking its shape.</summary>
    /// <param name="source">The checkpoint.</param>
    /// <param name="name">The tensor name.</param>
    /// <param name="destination">Receives every element; its length must be the element count.</param>
    /// <param name="expectedShape">The dimensions it must have.</param>
    /// <exception cref="CheckpointException">Missing tensor or a different shape.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the tensor's size.</exception>
    public static void ReadFloat32(this ITensorSource source, string name, Span<float> destination, params ReadOnlySpan<long> expectedShape)
    {
        TensorInfo info = source.GetInfo(name, expectedShape);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} elements but tensor '{name}' has {info.ElementCount}.", nameof(destination));
        }

        source.ReadFloat32(name, 0, destination);
    }
}
