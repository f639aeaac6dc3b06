namespace Andes.GenAI;

/// <summary>An image could not be used: empty, unsupported, truncated, corrupt, too large, or a bad raw pixel buffer.</summary>
/// <remarks>The message names the source (file name or the caller's label) and, when known, the format and the size the data claims.</remarks>
public sealed class InvalidImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the image was rejected.</param>
    /// <param name="message">What is wrong, naming the source.</param>
    /// <param name="sourceName">The file name or label of the image, if any.</param>
    /// <param name="format">The detected format, if any.</param>
    /// <param name="claimedWidth">The width the data claims, if known.</param>
    /// <param name="claimedHeight">The height the data claims, if known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public InvalidImageException(
        ImageErrorKind kind,
        string message,
        string? sourceName = null,
        ImageFormat? format = null,
        long? claimedWidth = null,
        long? claimedHeight = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        SourceName = sourceName;
        Format = format;
        ClaimedWidth = claimedWidth;
        ClaimedHeight = claimedHeight;
    }

    /// <summary>Why the image was rejected.</summary>
    public ImageErrorKind Kind { get; }

    /// <summary>The file name or label of the image, if any.</summary>
    public string? SourceName { get; }

    /// <summary>The detected format, if the data got that far.</summary>
    public ImageFormat? Format { get; }

    /// <summary>The width the data claims, if its header was read.</summary>
    public long? ClaimedWidth { get; }

    /// <summary>The height the data claims, if its header was read.</summary>
    public long? ClaimedHeight { get; }
}
