namespace Andes.Testing;

/// <summary>
/// What this process holds of a folder's files: open file descriptors (<c>/proc/self/fd</c>) and memory mappings
/// (<c>/proc/self/maps</c>). A live ONNX Runtime session keeps its external weights mapped, so after a model is disposed
/// (or a load is cancelled) nothing of its folder may be listed here: a real check that no session leaked.
/// </summary>
public static class ProcessFiles
{
    /// <summary>Whether the check can see anything (Linux's <c>/proc</c>); elsewhere <see cref="HeldUnder"/> is always empty.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd");

    /// <summary>The paths under <paramref name="folder"/> that this process has open or mapped, each once, sorted.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The paths (empty when none, or when <see cref="IsSupported"/> is false).</returns>
    public static IReadOnlyList<string> HeldUnder(string folder)
    {
        if (!IsSupported)
        {
            return [];
        }

        string prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        var held = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(prefix, StringComparison.Ordinal))
                {
                    held.Add(target);
                }
            }
            catch (IOException)
            {
                // The descriptor was closed while we listed them (another test's thread): not ours.
            }
        }

        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int path = line.IndexOf(prefix, StringComparison.Ordinal);
            if (path >= 0)
            {
                held.Add(line[path..].Replace(" (deleted)", string.Empty, StringComparison.Ordinal));
            }
        }

        return [.. held];
    }
}
