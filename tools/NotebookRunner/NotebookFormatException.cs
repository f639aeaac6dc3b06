namespace Andes.NotebookRunner;

/// <summary>A notebook or sample file that cannot be read: the message names the file and the place.</summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public NotebookFormatException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        FilePath = path;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }
}
