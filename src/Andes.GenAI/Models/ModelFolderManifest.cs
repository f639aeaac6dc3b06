using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// The list of files a conversion wrote into a model folder (<c>andes_manifest.json</c>), each with its size and an
/// XXH3 hash, written last so that its presence means the folder is complete. Loading checks the sizes (cheap: one
/// file-system query per file) and refuses a folder a conversion left incomplete or mixed; <see cref="Verify"/> also
/// checks the hashes (<c>andes verify DIR</c>). Folders without a manifest (written by other tools) load unchecked, and
/// so do the <see cref="EditableFiles"/>.
/// Files added to a folder after conversion (skills, adapters) are not listed and not checked. Immutable; thread-safe.
/// </summary>
public sealed class ModelFolderManifest
{
    /// <summary>The manifest's file name in a model folder.</summary>
    public const string FileName = "andes_manifest.json";

    /// <summary>
    /// Files users are told to edit after conversion (ONNX Runtime GenAI's documentation edits <c>genai_config.json</c> to
    /// choose providers and search defaults): loading does not hold their size to the manifest, which would refuse
    /// every such edit; <see cref="Verify"/> still reports them as changed.
    /// </summary>
    public static IReadOnlySet<string> EditableFiles { get; } = new HashSet<string>(StringComparer.Ordinal) { GenAIConfig.FileName };

    /// <summary>The format version this library writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private ModelFolderManifest(string? createdBy, IReadOnlyList<ModelFolderFile> files)
    {
        CreatedBy = createdBy;
        Files = files;
    }

    /// <summary>What wrote the folder (for example <c>Andes.ModelBuilder 0.1.0</c>), or null when not recorded.</summary>
    public string? CreatedBy { get; }

    /// <summary>The files, by path relative to the folder (forward slashes).</summary>
    public IReadOnlyList<ModelFolderFile> Files { get; }

    /// <summary>Lists and hashes the files of a folder (every file below it but the manifest itself).</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="createdBy">What wrote it, recorded in the manifest.</param>
    /// <param name="cancellationToken">Stops hashing between files and between blocks.</param>
    /// <returns>The manifest (not yet saved).</returns>
    public static ModelFolderManifest Create(string directory, string? createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string root = Path.GetFullPath(directory);
        var files = new List<ModelFolderFile>();
        foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative == FileName)
            {
                continue;
            }

            files.Add(new ModelFolderFile(relative, Resolve(path).Length, Hash(path, cancellationToken)));
        }

        return new ModelFolderManifest(createdBy, files);
    }

    /// <summary>Writes <c>andes_manifest.json</c> into <paramref name="directory"/>.</summary>
    /// <param name="directory">The model folder.</param>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using FileStream stream = File.Create(Path.Combine(directory, FileName));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("format_version", CurrentFormatVersion);
        if (CreatedBy is not null)
        {
            json.WriteString("created_by", CreatedBy);
        }

        json.WriteStartArray("files");
        foreach (ModelFolderFile file in Files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteNumber("bytes", file.Bytes);
            json.WriteString("xxh3", file.Xxh3);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads the manifest of a model folder.</summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The manifest, or null when the folder has none.</returns>
    /// <exception cref="ModelConfigurationException">The manifest is malformed (the message names the field).</exception>
    public static ModelFolderManifest? TryLoad(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(path, "$", "is not an object");
            }

            if (!root.TryGetProperty("format_version", out JsonElement version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out int v) || v != CurrentFormatVersion)
            {
                throw Malformed(path, "format_version", $"must be {CurrentFormatVersion}");
            }

            string? createdBy = root.TryGetProperty("created_by", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (!root.TryGetProperty("files", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(path, "files", "is missing or not an array");
            }

            var files = new List<ModelFolderFile>();
            int index = 0;
            foreach (JsonElement entry in list.EnumerateArray())
            {
                string field = $"files[{index++}]";
                string name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("path", out JsonElement p) && p.ValueKind == JsonValueKind.String
                    && IsInside(p.GetString()!) ? p.GetString()! : throw Malformed(path, field + ".path", "is missing, not a string, or leaves the folder");
                long bytes = entry.TryGetProperty("bytes", out JsonElement b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt64(out long n) && n >= 0
                    ? n : throw Malformed(path, field + ".bytes", "is missing or not a non-negative integer");
                string hash = entry.TryGetProperty("xxh3", out JsonElement h) && h.ValueKind == JsonValueKind.String && h.GetString()!.Length == 16
                    ? h.GetString()! : throw Malformed(path, field + ".xxh3", "is missing or not 16 hexadecimal digits");
                files.Add(new ModelFolderFile(name, bytes, hash));
            }

            return new ModelFolderManifest(createdBy, files);
        }
        catch (JsonException e)
        {
            throw new ModelConfigurationException($"'{path}' is not valid JSON: {e.Message}", path, null, e);
        }
    }

    /// <summary>
    /// Checks that every listed file exists with its listed size: what loading does, so that a folder a conversion left
    /// incomplete, or files mixed from two conversions, are refused before any graph is opened.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <exception cref="ModelConfigurationException">A file is missing or has another size (the message names it).</exception>
    public void CheckComplete(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        foreach (ModelFolderFile file in Files)
        {
            FileInfo info = Resolve(Path.Combine(directory, file.Path));
            if (info.Exists && EditableFiles.Contains(file.Path))
            {
                continue; // edited on purpose (providers, search defaults) and validated field by field when read
            }

            if (!info.Exists)
            {
                throw new ModelConfigurationException(
                    $"Model folder '{directory}' is incomplete: '{file.Path}', listed in {FileName}, is missing. Convert the model again (andes convert --force).", info.FullName, null);
            }

            if (info.Length != file.Bytes)
            {
                throw new ModelConfigurationException(
                    $"Model folder '{directory}' is damaged or mixed: '{file.Path}' has {info.Length:N0} bytes, {FileName} lists {file.Bytes:N0}. Convert the model again (andes convert --force).", info.FullName, null);
            }
        }
    }

    /// <summary>Checks every listed file's size and hash (reads every byte).</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="cancellationToken">Stops between blocks.</param>
    /// <returns>One line per problem (missing, wrong size, wrong hash); empty when the folder is as converted.</returns>
    public IReadOnlyList<string> Verify(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var problems = new List<string>();
        foreach (ModelFolderFile file in Files)
        {
            string path = Path.Combine(directory, file.Path);
            FileInfo info = Resolve(path);
            if (!info.Exists)
            {
                problems.Add($"{file.Path}: missing");
            }
            else if (info.Length != file.Bytes)
            {
                problems.Add($"{file.Path}: {info.Length:N0} bytes, expected {file.Bytes:N0}");
            }
            else if (Hash(path, cancellationToken) is var actual && !string.Equals(actual, file.Xxh3, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{file.Path}: content differs (xxh3 {actual}, expected {file.Xxh3})");
            }
        }

        return problems;
    }

    // A symbolic link's own length is that of the path it holds: size the file it points to (folders assembled from
    // links to a shared model are legitimate).
    private static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    private static string Hash(string path, CancellationToken cancellationToken)
    {
        var hash = new XxHash3();
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetCurrentHashAsUInt64().ToString("x16", CultureInfo.InvariantCulture);
    }

    // A manifest is data from disk: a path must name a file inside the folder, never "../x" or an absolute path.
    private static bool IsInside(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && !relative.Split('/', '\\').Any(part => part is ".." or "." or "");

    private static ModelConfigurationException Malformed(string path, string field, string problem) =>
        new($"'{path}': field '{field}' {problem}.", path, field);
}
