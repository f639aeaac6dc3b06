namespace Andes.ModelBuilder;

/// <summary>Progress of a conversion: reported after each tensor.</summary>
/// <param name="Stage">What is being written (e.g. <c>decoder</c>, <c>embedding</c>).</param>
/// <param name="TensorName">The tensor just converted.</param>
/// <param name="TensorsDone">Tensors converted so far.</param>
/// <param name="TensorsTotal">Tensors to convert in all.</param>
public readonly record struct ModelConversionProgress(string Stage, string TensorName, int TensorsDone, int TensorsTotal);
