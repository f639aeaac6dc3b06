namespace Andes.ModelBuilder;

/// <summary>
/// Progress of a conversion: reported after each tensor, and while a large tensor is quantised (every chunk of
/// rows), so a bar driven by <see cref="Fraction"/> moves during the long embedding and lm_head tensors too.
/// </summary>
/// <param name="Stage">What is being written (e.g. <c>decoder</c>, <c>embedding</c>).</param>
/// <param name="TensorName">The tensor being converted, or just converted.</param>
/// <param name="TensorsDone">Tensors converted so far.</param>
/// <param name="TensorsTotal">Tensors to convert in all.</param>
/// <param name="WeightsDone">Checkpoint weights (elements) converted so far.</param>
/// <param name="WeightsTotal">Checkpoint weights (elements) to convert in all (an estimate until the end).</param>
public readonly record struct ModelConversionProgress(string Stage, string TensorName, int TensorsDone, int TensorsTotal, long WeightsDone, long WeightsTotal)
{
    /// <summary>The share of the work done, 0 to 1, by weights converted (tensors differ in size by four orders of magnitude).</summary>
    public double Fraction => WeightsTotal <= 0 ? 0 : Math.Clamp((double)WeightsDone / WeightsTotal, 0, 1);
}
