using System.Text.Json;

namespace Andes.ModelBuilder;

/// <summary>
/// A Hugging Face checkpoint's weights: one <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (<c>weight_map</c>: tensor name to shard file). Every file is memory-mapped
/// read-only, so even a 4B checkpoint is never held in memory.
/// </summary>
/// <remarks>Reads are safe from any number of threads; do not dispose while reading.</remarks>
public sealed class SafeTensorsCheckpoint : ITensorSource
{
    /// <summary>The single-file weights name in a checkpoint folder.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The shard index name in a checkpoint folder.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly Dictionary<string, SafeTensorsFile> _fileOf;
    private readonly SafeTensorsFile[] _files;
    private int _disposed;

    private SafeTensorsCheckpoint(string path, SafeTensorsFile[] files, Dictionary<string, SafeTensorsFile> fileOf, IReadOnlyDictionary<string, JsonElement> indexMetadata)
    {
        Path = path;
        _files = files;
        _fileOf = fileOf;
        Names = fileOf.Keys.Order(StringComparer.Ordinal).ToArray();
        IndexMetadata = indexMetadata;
    }

    /// <summary>What was opened: the index file, or the single safetensors file.</summary>
    public string Path { get; }

    /// <summary>The safetensors files, in the order they were listed (shard order).</summary>
    public IReadOnlyList<SafeTensorsFile> Files => _files;

    /// <summary>The <c>metadata</c> object of the index (e.g. <c>total_size</c>); empty for a single file.</summary>
    public IReadOnlyDictionary<string, JsonElement> IndexMetadata { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Opens a checkpoint: a folder holding <c>model.safetensors.index.json</c> (sharded) or <c>model.safetensors</c>,
    /// an index file, or a single safetensors file.
    /// </summary>
    /// <param name="directoryOrFile">The checkpoint folder or file.</param>
    /// <exception cref="CheckpointException">
    /// Nothing to open, an invalid index, a shard that is missing, a tensor missing from its shard, a tensor in two
    /// shards, or a corrupt safetensors file (see <see cref="SafeTensorsFile.Open"/>).
    /// </exception>
    public static SafeTensorsCheckpoint Open(string directoryOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(directoryOrFile);
        string full = System.IO.Path.GetFullPath(directoryOrFile);
        if (Directory.Exists(full))
        {
            string index = System.IO.Path.Combine(full, IndexFileName);
            if (File.Exists(index))
            {
                return OpenIndex(index);
            }

            string single = System.IO.Path.Combine(full, SingleFileName);
            if (File.Exists(single))
            {
                return OpenSingle(single);
            }

            throw new CheckpointException(
                $"'{full}' holds neither '{IndexFileName}' nor '{SingleFileName}'.", full);
        }

        if (!File.Exists(full))
        {
            throw new CheckpointException($"Checkpoint not found: '{full}' is neither a folder nor a file.", full);
        }

        return full.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenIndex(full) : OpenSingle(full);
    }

    /// <inheritdoc />
    public bool Contains(string name) => _fileOf.ContainsKey(name);

    /// <inheritdoc />
    public TensorInfo GetInfo(string name) => FileOf(name).GetInfo(name);

    /// <inheritdoc />
    public void ReadFloat32(string name, long elementOffset, Span<float> destination) =>
        FileOf(name).ReadFloat32(name, elementOffset, destination);

    /// <summary>Copies raw stored bytes of a tensor (see <see cref="SafeTensorsFile.ReadBytes"/>).</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="byteOffset">The first byte, relative to the tensor's data.</param>
    /// <param name="destination">Receives the bytes.</param>
    /// <exception cref="CheckpointException">Missing tensor or a range past its end.</exception>
    public void ReadBytes(string name, long byteOffset, Span<byte> destination) =>
        FileOf(name).ReadBytes(name, byteOffset, destination);

    /// <summary>Unmaps every file. Reads must have finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (SafeTensorsFile file in _files)
        {
            file.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Path} ({Names.Count} tensors in {_files.Length} file(s))";

    private SafeTensorsFile FileOf(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _fileOf.TryGetValue(name, out SafeTensorsFile? file)
            ? file
            : throw new CheckpointException($"Checkpoint '{Path}' has no tensor '{name}'.", Path, name);
    }

    private static SafeTensorsCheckpoint OpenSingle(string file)
    {
        SafeTensorsFile st = SafeTensorsFile.Open(file);
        var map = st.Tensors.ToDictionary(t => t.Name, _ => st, StringComparer.Ordinal);
        return new SafeTensorsCheckpoint(file, [st], map, new Dictionary<string, JsonElement>());
    }

    private static SafeTensorsCheckpoint OpenIndex(string indexPath)
    {
        string folder = System.IO.Path.GetDirectoryName(indexPath)!;
        (List<KeyValuePair<string, string>> weightMap, Dictionary<string, JsonElement> metadata) = ReadIndex(indexPath);

        var files = new List<SafeTensorsFile>();
        try
        {
            var byShardName = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (string shard in weightMap.Select(e => e.Value).Distinct(StringComparer.Ordinal))
            {
                if (System.IO.Path.IsPathRooted(shard) || shard.Split('/', '\\').Contains(".."))
                {
                    throw new CheckpointException(
                        $"'{indexPath}' names shard '{shard}', which is outside the checkpoint folder.", indexPath);
                }

                string shardPath = System.IO.Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                {
                    string example = weightMap.First(e => e.Value == shard).Key;
                    throw new CheckpointException(
                        $"'{indexPath}' names shard '{shard}' (e.g. for tensor '{example}') but '{shardPath}' does not exist.",
                        indexPath,
                        example);
                }

                SafeTensorsFile opened = SafeTensorsFile.Open(shardPath);
                files.Add(opened);
                byShardName.Add(shard, opened);
            }

            var fileOf = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (SafeTensorsFile file in files)
            {
                foreach (TensorInfo t in file.Tensors)
                {
                    if (fileOf.TryGetValue(t.Name, out SafeTensorsFile? other))
                    {
                        throw new CheckpointException(
                            $"Tensor '{t.Name}' is stored in two shards of '{indexPath}': '{other.FilePath}' and '{file.FilePath}'.",
                            file.FilePath,
                            t.Name);
                    }

                    fileOf.Add(t.Name, file);
                }
            }

            foreach ((string name, string shard) in weightMap)
            {
                SafeTensorsFile expected = byShardName[shard];
                if (!expected.Contains(name))
                {
                    throw new CheckpointException(
                        $"'{indexPath}' maps tensor '{name}' to '{expected.FilePath}', which has no such tensor.",
                        expected.FilePath,
                        name);
                }
            }

            return new SafeTensorsCheckpoint(indexPath, files.ToArray(), fileOf, metadata);
        }
        catch
        {
            foreach (SafeTensorsFile file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    private static (List<KeyValuePair<string, string>> WeightMap, Dictionary<string, JsonElement> Metadata) ReadIndex(string indexPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"'{indexPath}' is not valid JSON: {ex.Message}", indexPath, innerException: ex);
        }
        catch (IOException ex)
        {
            throw new CheckpointException($"Cannot read '{indexPath}': {ex.Message}", indexPath, innerException: ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && JsonText.HasUnreadableName(root, out string? badKey))
            {
                throw new CheckpointException(
                    $"'{indexPath}' has a key \"{badKey}\" that is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", indexPath);
            }

            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("weight_map", out JsonElement weightMap)
                || weightMap.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException($"'{indexPath}' has no 'weight_map' object (tensor name to shard file).", indexPath);
            }

            var entries = new List<KeyValuePair<string, string>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in weightMap.EnumerateObject())
            {
                if (!JsonText.TryGetName(entry, out string? name))
                {
                    string raw = JsonText.RawName(entry);
                    throw new CheckpointException(
                        $"'{indexPath}': weight_map names tensor \"{raw}\", which is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", indexPath, raw);
                }

                if (!seen.Add(name))
                {
                    throw new CheckpointException($"'{indexPath}' lists tensor '{name}' twice in its weight_map.", indexPath, name);
                }

                if (!JsonText.TryGetString(entry.Value, out string? shard) || shard.Length == 0)
                {
                    throw new CheckpointException(
                        $"'{indexPath}': weight_map entry for tensor '{name}' ({JsonText.RawText(entry.Value)}) is not a file name.", indexPath, name);
                }

                entries.Add(new(name, shard));
            }

            var metadata = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (root.TryGetProperty("metadata", out JsonElement meta) && meta.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in meta.EnumerateObject())
                {
                    if (!JsonText.TryGetName(p, out string? key))
                    {
                        throw new CheckpointException(
                            $"'{indexPath}': metadata key \"{JsonText.RawName(p)}\" is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", indexPath);
                    }

                    metadata[key] = p.Value.Clone();
                }
            }

            return (entries, metadata);
        }
    }
}
