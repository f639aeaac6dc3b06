namespace Andes.ModelBuilder;

/// <summary>One tensor <see cref="CheckpointGenerator"/> writes: its checkpoint name, shape and how its values are drawn.</summary>
/// <param name="Name">The Hugging Face tensor name (e.g. <c>language_model.model.norm.weight</c>).</param>
/// <param name="Shape">The dimensions, PyTorch order (a Linear weight is [out, in]).</param>
/// <param name="Initializer">How the values are drawn.</param>
public sealed record CheckpointTensorSpec(string Name, long[] Shape, TensorInitializer Initializer)
{
    /// <summary>The number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));
}
