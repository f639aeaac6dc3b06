namespace Andes.ModelBuilder;

/// <summary>What <see cref="HubDownloader.DownloadAsync"/> did.</summary>
public sealed class HubDownloadResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="repository">The listing that was downloaded.</param>
    /// <param name="directory">The folder the files are in.</param>
    /// <param name="filesDownloaded">Files downloaded (in whole or resumed).</param>
    /// <param name="filesSkipped">Files already complete.</param>
    /// <param name="bytesReceived">Bytes received from the network.</param>
    /// <param name="elapsed">The time taken.</param>
    public HubDownloadResult(HubRepositoryInfo repository, string directory, int filesDownloaded, int filesSkipped, long bytesReceived, TimeSpan elapsed)
    {
        Repository = repository;
        Directory = directory;
        FilesDownloaded = filesDownloaded;
        FilesSkipped = filesSkipped;
        BytesReceived = bytesReceived;
        Elapsed = elapsed;
    }

    /// <summary>The repository's listing: its id, revision, commit and files.</summary>
    public HubRepositoryInfo Repository { get; }

    /// <summary>The folder the files are in (full path).</summary>
    public string Directory { get; }

    /// <summary>Files downloaded by this call (in whole or resumed).</summary>
    public int FilesDownloaded { get; }

    /// <summary>Files that were already complete and were left as they were.</summary>
    public int FilesSkipped { get; }

    /// <summary>Bytes received from the network by this call.</summary>
    public long BytesReceived { get; }

    /// <summary>The time taken.</summary>
    public TimeSpan Elapsed { get; }
}
