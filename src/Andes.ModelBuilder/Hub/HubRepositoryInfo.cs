namespace Andes.ModelBuilder;

/// <summary>A hub repository's files at one revision (<see cref="HubDownloader.ListFilesAsync"/>).</summary>
public sealed class HubRepositoryInfo
{
    /// <summary>Creates the listing.</summary>
    /// <param name="repoId">The repository, <c>owner/name</c>.</param>
    /// <param name="revision">The revision asked for.</param>
    /// <param name="commit">The commit that revision resolved to, if the hub said.</param>
    /// <param name="files">The files.</param>
    public HubRepositoryInfo(string repoId, string revision, string? commit, IReadOnlyList<HubFile> files)
    {
        RepoId = repoId;
        Revision = revision;
        Commit = commit;
        Files = files;
    }

    /// <summary>The repository, <c>owner/name</c>.</summary>
    public string RepoId { get; }

    /// <summary>The revision asked for (a branch, tag or commit).</summary>
    public string Revision { get; }

    /// <summary>The commit the revision resolved to (40 hex digits), if the hub said.</summary>
    public string? Commit { get; }

    /// <summary>The files, in the hub's order.</summary>
    public IReadOnlyList<HubFile> Files { get; }

    /// <summary>The sum of the files' sizes, or null when a size is unknown.</summary>
    public long? TotalBytes => Files.All(f => f.Size is not null) ? Files.Sum(f => f.Size!.Value) : null;
}
