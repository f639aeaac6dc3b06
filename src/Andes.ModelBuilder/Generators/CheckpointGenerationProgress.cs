namespace Andes.ModelBuilder;

/// <summary>Progress of <see cref="CheckpointGenerator"/>, reported after each chunk of weights.</summary>
/// <param name="BytesWritten">Tensor data written so far, in bytes.</param>
/// <param name="TotalBytes">All tensor data, in bytes.</param>
/// <param name="TensorName">The tensor being written.</param>
public readonly record struct CheckpointGenerationProgress(long BytesWritten, long TotalBytes, string TensorName)
{
    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => TotalBytes == 0 ? 1 : (double)BytesWritten / TotalBytes;
}
