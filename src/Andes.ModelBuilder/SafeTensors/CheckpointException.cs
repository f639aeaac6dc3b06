namespace Andes.ModelBuilder;

/// <summary>
/// A checkpoint cannot be read as asked: a corrupt or truncated file, an unknown element type, a missing tensor or a
/// shape that does not match the configuration. The message names the file and, where there is one, the tensor.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file and tensor.</param>
    /// <param name="filePath">The file concerned, if any.</param>
    /// <param name="tensorName">The tensor concerned, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public CheckpointException(string message, string? filePath = null, string? tensorName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The file concerned, if any.</summary>
    public string? FilePath { get; }

    /// <summary>The tensor concerned, if any.</summary>
    public string? TensorName { get; }
}
