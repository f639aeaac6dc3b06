namespace Andes.GenAI;

/// <summary>File sizes that follow symbolic links (<see cref="FileInfo.Length"/> gives a link's own size on Unix).</summary>
internal static class FileLengths
{
    /// <summary>The length of the file at <paramref name="path"/>, or of the file a link there points to.</summary>
    public static long Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        return stream.Length;
    }
}
