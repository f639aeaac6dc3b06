namespace Andes.ModelBuilder;

/// <summary>One file of a hub repository, as its listing describes it.</summary>
public sealed class HubFile
{
    /// <summary>Creates the description of a file.</summary>
    /// <param name="path">The path inside the repository, with <c>/</c> between folders.</param>
    /// <param name="size">The size in bytes, if the listing gives it.</param>
    /// <param name="sha256">The SHA-256 of the content (lower-case hex) for a Git LFS file, if the listing gives it.</param>
    public HubFile(string path, long? size, string? sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Size = size;
        Sha256 = sha256;
    }

    /// <summary>The path inside the repository, with <c>/</c> between folders (the listing's <c>rfilename</c>).</summary>
    public string Path { get; }

    /// <summary>The size in bytes, if known (the listing gives it when asked for blobs, as <see cref="HubDownloader"/> does).</summary>
    public long? Size { get; }

    /// <summary>The SHA-256 of the content in lower-case hex: given for Git LFS files (weights), null for files kept in Git itself.</summary>
    public string? Sha256 { get; }

    /// <summary>Whether the file is stored with Git LFS (the listing gave its SHA-256).</summary>
    public bool IsLfs => Sha256 is not null;
}
