namespace Andes.GenAI;

/// <summary>A <c>skills.json</c> file is missing, malformed, or has an unknown or invalid field.</summary>
public sealed class SkillConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file and field.</param>
    /// <param name="filePath">The file.</param>
    /// <param name="field">The path of the field concerned (e.g. <c>skills[1].adapter</c>), if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SkillConfigurationException(string message, string? filePath, string? field, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The file.</summary>
    public string? FilePath { get; }

    /// <summary>The path of the field concerned, if any.</summary>
    public string? Field { get; }
}
