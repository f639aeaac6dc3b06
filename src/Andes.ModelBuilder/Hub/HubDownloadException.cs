using System.Net;

namespace Andes.ModelBuilder;

/// <summary>Why a hub download failed (<see cref="HubDownloadException.Failure"/>).</summary>
public enum HubDownloadFailure
{
    /// <summary>The hub wants a token and none was sent (401 or 403): the repository is gated or private, or does not exist.</summary>
    AuthenticationRequired,

    /// <summary>The hub rejected the token that was sent (401).</summary>
    TokenRejected,

    /// <summary>The token was accepted but grants no access (403): a gated repository whose conditions were not accepted, or a token without read access.</summary>
    AccessDenied,

    /// <summary>The repository, the revision or a file does not exist (404).</summary>
    NotFound,

    /// <summary>A file's bytes do not add up to the size the listing gives.</summary>
    SizeMismatch,

    /// <summary>A file's SHA-256 is not the one the listing gives.</summary>
    HashMismatch,

    /// <summary>The connection failed or stalled more often in a row than <see cref="HubDownloadOptions.MaxRetries"/> allows; the partial file is kept for the next run.</summary>
    Interrupted,

    /// <summary>The hub's listing cannot be used: not JSON of the expected shape, or a file path that would leave the output folder.</summary>
    InvalidListing,

    /// <summary>Another HTTP error (the message gives the status and the hub's explanation).</summary>
    HttpError,
}

/// <summary>
/// A download from the Hugging Face hub failed. The message names the repository, revision or file and says what to
/// do (set <c>HF_TOKEN</c>, check the name, run again to resume, ...); <see cref="Failure"/> says why in a form code can test.
/// </summary>
public sealed class HubDownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">Why the download failed.</param>
    /// <param name="message">What went wrong and what to do, naming the repository, revision or file.</param>
    /// <param name="repoId">The repository.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="filePath">The file concerned (its path in the repository), if any.</param>
    /// <param name="statusCode">The HTTP status of the answer, if the failure was one.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public HubDownloadException(
        HubDownloadFailure failure, string message, string repoId, string revision, string? filePath = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        RepoId = repoId;
        Revision = revision;
        FilePath = filePath;
        StatusCode = statusCode;
    }

    /// <summary>Why the download failed.</summary>
    public HubDownloadFailure Failure { get; }

    /// <summary>The repository, <c>owner/name</c>.</summary>
    public string RepoId { get; }

    /// <summary>The revision asked for.</summary>
    public string Revision { get; }

    /// <summary>The file concerned (its path in the repository), if any.</summary>
    public string? FilePath { get; }

    /// <summary>The HTTP status of the answer, if the failure was one.</summary>
    public HttpStatusCode? StatusCode { get; }
}
