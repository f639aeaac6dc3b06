namespace Andes.GenAI;

/// <summary>A model folder's configuration is missing, malformed, or has an unknown or invalid field.</summary>
public sealed class ModelConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file and field.</param>
    /// <param name="filePath">The configuration file.</param>
    /// <param name="field">The dotted path of the field concerned, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ModelConfigurationException(string message, string? filePath, string? field, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The configuration file.</summary>
    public string? FilePath { get; }

    /// <summary>The dotted path of the field concerned (e.g. <c>model.decoder.head_size</c>), if any.</summary>
    public string? Field { get; }
}
