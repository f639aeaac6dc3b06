namespace Andes.ModelBuilder;

/// <summary>
/// Read access to the named tensors of a checkpoint, converting elements to <see cref="float"/> on the way out.
/// Implementations stream from disk: reading a tensor never requires the whole checkpoint in memory.
/// </summary>
/// <remarks>Implementations are safe for concurrent reads.</remarks>
public interface ITensorSource : IDisposable
{
    /// <summary>The names of every tensor, in a stable (ordinal) order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Whether a tensor of this name exists.</summary>
    /// <param name="name">The tensor name.</param>
    bool Contains(string name);

    /// <summary>Describes a tensor.</summary>
    /// <param name="name">The tensor name.</param>
    /// <exception cref="CheckpointException">No tensor of that name (the message names the checkpoint and the tensor).</exception>
    TensorInfo GetInfo(string name);

    /// <summary>
    /// Reads <paramref name="destination"/>.Length elements of a tensor, starting at element <paramref name="elementOffset"/>
    /// of its row-major flattening, converted to float32.
    /// </summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="elementOffset">The first element to read.</param>
    /// <param name="destination">Receives the elements.</param>
    /// <exception cref="CheckpointException">Missing tensor, unsupported element type, or a range past its end.</exception>
    void ReadFloat32(string name, long elementOffset, Span<float> destination);
}
