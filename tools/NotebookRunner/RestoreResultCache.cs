namespace Andes.NotebookRunner;

/// <summary>
/// The F# dependency manager under .NET Interactive's <c>#r "nuget: ..."</c> writes each restore's results (a few KB,
/// named by a hash of the script) to <c>~/.packagemanagement/nuget/Cache</c>, even when the restore is forced, and
/// its temporary restore projects to <c>~/.packagemanagement/nuget/Projects</c> (removed when the kernel is disposed).
/// A run remembers what was there before and removes what it added, so it leaves the user's home as it found it.
/// </summary>
internal sealed class RestoreResultCache
{
    private readonly string _root;
    private readonly bool _existed;
    private readonly HashSet<string> _entries;

    private RestoreResultCache(string root, bool existed, HashSet<string> entries)
    {
        _root = root;
        _existed = existed;
        _entries = entries;
    }

    /// <summary>What <c>~/.packagemanagement/nuget/Cache</c> holds now.</summary>
    /// <returns>The snapshot.</returns>
    public static RestoreResultCache Snapshot()
    {
        string root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".packagemanagement");
        string cache = Path.Combine(root, "nuget", "Cache");
        HashSet<string> entries = Directory.Exists(cache) ? [.. Directory.EnumerateFiles(cache)] : [];
        return new RestoreResultCache(root, Directory.Exists(root), entries);
    }

    /// <summary>Deletes the cache files added since the snapshot (the whole folder if the run created it).</summary>
    public void DeleteNewEntries()
    {
        try
        {
            if (!_existed)
            {
                if (Directory.Exists(_root))
                {
                    Directory.Delete(_root, recursive: true);
                }

                return;
            }

            string cache = Path.Combine(_root, "nuget", "Cache");
            if (Directory.Exists(cache))
            {
                foreach (string file in Directory.EnumerateFiles(cache).Where(f => !_entries.Contains(f)).ToList())
                {
                    File.Delete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not clean {_root}: {e.Message}");
        }
    }
}
