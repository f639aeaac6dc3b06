namespace Andes.GenAI;

/// <summary>
/// A LoRA adapter cannot be read, or does not fit the model: a parameter the model has no input for, a wrong shape,
/// A and B ranks that disagree, a missing half of a pair, a non-float type, or another base model. The message names
/// the adapter and, where there is one, the tensor.
/// </summary>
public sealed class LoraAdapterException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the adapter and tensor.</param>
    /// <param name="adapterPath">The adapter file or folder.</param>
    /// <param name="tensorName">The tensor concerned, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LoraAdapterException(string message, string? adapterPath, string? tensorName, Exception? innerException = null)
        : base(message, innerException)
    {
        AdapterPath = adapterPath;
        TensorName = tensorName;
    }

    /// <summary>The adapter file or folder.</summary>
    public string? AdapterPath { get; }

    /// <summary>The tensor concerned, if any.</summary>
    public string? TensorName { get; }
}
