namespace Andes.ModelBuilder;

/// <summary>How <see cref="CheckpointGenerator"/> fills a tensor: values about N(<see cref="Mean"/>, <see cref="StandardDeviation"/>^2).</summary>
/// <param name="Mean">The centre of the values.</param>
/// <param name="StandardDeviation">Their spread; 0 fills the tensor with <see cref="Mean"/>.</param>
public readonly record struct TensorInitializer(float Mean, float StandardDeviation)
{
    /// <summary>Zero-mean values of the given spread (weight matrices, embeddings).</summary>
    /// <param name="standardDeviation">The spread.</param>
    public static TensorInitializer Normal(float standardDeviation) => new(0, standardDeviation);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    public static TensorInitializer Constant(float value) => new(value, 0);

    /// <summary>Norm weights: about 1 with a little noise, so the norm is not an identity.</summary>
    /// <param name="noise">The spread around 1.</param>
    public static TensorInitializer NormWeight(float noise = 0.1f) => new(1, noise);
}
