namespace Andes.ModelBuilder;

/// <summary>What <see cref="HubDownloader.DownloadAsync"/> is doing when it reports progress.</summary>
public enum HubDownloadStage
{
    /// <summary>Asking the hub for the repository's files.</summary>
    Listing,

    /// <summary>Hashing a file already on disk (a complete one, to skip it, or a partial one, to resume it).</summary>
    Verifying,

    /// <summary>Receiving a file's bytes.</summary>
    Downloading,

    /// <summary>Waiting to retry a file after a dropped connection or a transient error (<see cref="HubDownloadProgress.Message"/> says which).</summary>
    Retrying,

    /// <summary>A file was downloaded, checked and moved into place.</summary>
    FileCompleted,

    /// <summary>A file was already complete (right size and hash) and was not downloaded again.</summary>
    FileSkipped,
}

/// <summary>
/// Progress of <see cref="HubDownloader.DownloadAsync"/>: reported when a stage starts or ends and as bytes arrive
/// (about once a megabyte). Byte counts include files skipped or resumed, so a rate should be measured on
/// <see cref="BytesReceived"/>.
/// </summary>
/// <param name="Stage">What is happening.</param>
/// <param name="FilePath">The file concerned (its path in the repository), or null while listing.</param>
/// <param name="FileBytesDone">Bytes of that file on disk so far.</param>
/// <param name="FileBytesTotal">That file's size, if known.</param>
/// <param name="BytesDone">Bytes of the whole repository done so far (complete, skipped and partial files).</param>
/// <param name="BytesTotal">The repository's size, if known.</param>
/// <param name="BytesReceived">Bytes received from the network by this call so far.</param>
/// <param name="FilesDone">Files complete so far (downloaded or skipped).</param>
/// <param name="FilesTotal">Files in the repository (0 while listing).</param>
/// <param name="Message">For <see cref="HubDownloadStage.Retrying"/>, the error that is being retried; otherwise null.</param>
public readonly record struct HubDownloadProgress(
    HubDownloadStage Stage,
    string? FilePath,
    long FileBytesDone,
    long? FileBytesTotal,
    long BytesDone,
    long? BytesTotal,
    long BytesReceived,
    int FilesDone,
    int FilesTotal,
    string? Message);
