namespace Andes.Testing;

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Creates the folder under the system's temporary folder.</summary>
    public TemporaryDirectory()
        : this(System.IO.Path.GetTempPath())
    {
    }

    /// <summary>Creates the folder under <paramref name="parent"/>.</summary>
    /// <param name="parent">Where to create it.</param>
    public TemporaryDirectory(string parent)
    {
        Path = System.IO.Path.Combine(parent, "andes-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>
    /// A folder in memory where the machine has one (Linux's /dev/shm), else under the temporary folder: for tests that
    /// write thousands of small files, such as fuzz campaigns, whose time would otherwise go to the disk.
    /// </summary>
    public static TemporaryDirectory InMemory() =>
        OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? new TemporaryDirectory("/dev/shm") : new TemporaryDirectory();

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
