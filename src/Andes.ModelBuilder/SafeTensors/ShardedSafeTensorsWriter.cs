using System.Text.Json;

namespace Andes.ModelBuilder;

/// <summary>
/// Writes a checkpoint's tensors as Hugging Face does: one <c>model.safetensors</c> when everything fits in one
/// shard, else <c>model-0000N-of-0000M.safetensors</c> shards plus <c>model.safetensors.index.json</c>
/// (<c>metadata.total_size</c> and the <c>weight_map</c> from tensor name to shard). Streams like
/// <see cref="SafeTensorsWriter"/>: tensors are declared up front, then written in order; one shard file is open at a time.
/// </summary>
/// <remarks>
/// Call <see cref="Complete"/> after the last tensor; disposing an incomplete writer deletes the files it wrote.
/// Not thread-safe.
/// </remarks>
public sealed class ShardedSafeTensorsWriter : IDisposable
{
    private readonly TensorDeclaration[][] _shards;
    private readonly string[] _fileNames;
    private readonly IReadOnlyDictionary<string, string> _metadata;
    private readonly TensorDeclaration[] _tensors;
    private SafeTensorsWriter? _writer;
    private int _shard;
    private long _completedShardBytes;
    private bool _completed;
    private bool _disposed;

    private ShardedSafeTensorsWriter(string directory, TensorDeclaration[] tensors, TensorDeclaration[][] shards, string[] fileNames, string? indexFileName, IReadOnlyDictionary<string, string> metadata)
    {
        Directory = directory;
        _tensors = tensors;
        _shards = shards;
        _fileNames = fileNames;
        IndexFileName = indexFileName;
        _metadata = metadata;
        TotalBytes = tensors.Sum(t => t.ByteLength);
    }

    /// <summary>The output folder.</summary>
    public string Directory { get; }

    /// <summary>The declared tensors, in the order their data is written.</summary>
    public IReadOnlyList<TensorDeclaration> Tensors => _tensors;

    /// <summary>The safetensors file names (relative to <see cref="Directory"/>), in shard order.</summary>
    public IReadOnlyList<string> FileNames => _fileNames;

    /// <summary>The index file name, or null when there is a single file (and no index).</summary>
    public string? IndexFileName { get; }

    /// <summary>The total tensor data in bytes (the index's <c>total_size</c>).</summary>
    public long TotalBytes { get; }

    /// <summary>Tensor data written so far, in bytes.</summary>
    public long BytesWritten => _completedShardBytes + (_writer?.DataBytesWritten ?? 0);

    /// <summary>The tensor the next write goes to; null when every tensor is written.</summary>
    public TensorDeclaration? CurrentTensor
    {
        get
        {
            if (_writer?.CurrentTensor is { } t)
            {
                return t;
            }

            for (int s = _writer is null ? _shard : _shard + 1; s < _shards.Length; s++)
            {
                if (_shards[s].FirstOrDefault(x => x.ByteLength > 0) is { } next)
                {
                    return next;
                }
            }

            return null;
        }
    }

    /// <summary>Plans the shards and creates the folder; shard files are created as their data arrives.</summary>
    /// <param name="directory">The output folder (created if missing; existing files of the same names are replaced).</param>
    /// <param name="tensors">Every tensor, in the order their data will be written.</param>
    /// <param name="options">Shard size, metadata and file prefix; null for defaults.</param>
    /// <exception cref="ArgumentException">A duplicate or reserved name, an invalid shape, or a non-positive shard size.</exception>
    public static ShardedSafeTensorsWriter Create(string directory, IEnumerable<TensorDeclaration> tensors, ShardedSafeTensorsWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(tensors);
        options ??= new ShardedSafeTensorsWriterOptions();
        if (options.MaxShardSize <= 0)
        {
            throw new ArgumentException($"MaxShardSize must be positive (got {options.MaxShardSize}).", nameof(options));
        }

        ArgumentException.ThrowIfNullOrEmpty(options.FilePrefix, nameof(options));
        TensorDeclaration[] list = tensors.ToArray();
        IReadOnlyDictionary<string, string> metadata = options.Metadata ?? SafeTensorsWriter.DefaultMetadata;
        _ = SafeTensorsWriter.BuildHeader(list, metadata); // validates names and shapes up front

        var shards = new List<List<TensorDeclaration>> { new() };
        long size = 0;
        foreach (TensorDeclaration t in list)
        {
            if (shards[^1].Count > 0 && size + t.ByteLength > options.MaxShardSize)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(t);
            size += t.ByteLength;
        }

        string prefix = options.FilePrefix;
        string[] names = shards.Count == 1
            ? [$"{prefix}.safetensors"]
            : Enumerable.Range(1, shards.Count).Select(i => $"{prefix}-{i:D5}-of-{shards.Count:D5}.safetensors").ToArray();
        string? index = shards.Count == 1 ? null : $"{prefix}.safetensors.index.json";
        string full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        return new ShardedSafeTensorsWriter(full, list, shards.Select(s => s.ToArray()).ToArray(), names, index, metadata);
    }

    /// <summary>Appends float32 values to the current tensor, converted to its element type (see <see cref="SafeTensorsWriter.WriteFloat32"/>).</summary>
    /// <param name="values">The next elements of the current tensor.</param>
    /// <exception cref="InvalidOperationException">No tensor left, or more values than the tensor has room for.</exception>
    public void WriteFloat32(ReadOnlySpan<float> values)
    {
        SafeTensorsWriter writer = CurrentWriter();
        writer.WriteFloat32(values);
        CloseShardIfFull(writer);
    }

    /// <summary>Appends raw little-endian bytes, already in the current tensor's element type.</summary>
    /// <param name="data">The next bytes of the current tensor.</param>
    /// <exception cref="InvalidOperationException">No tensor left, or more bytes than the tensor has room for.</exception>
    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        SafeTensorsWriter writer = CurrentWriter();
        writer.WriteBytes(data);
        CloseShardIfFull(writer);
    }

    /// <summary>Checks every tensor was written, closes the last shard and writes the index (when sharded).</summary>
    /// <exception cref="InvalidOperationException">A tensor is not (fully) written; the message names it.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        // Shards whose tensors are all empty still get their (header-only) file.
        while (_shard < _shards.Length)
        {
            SafeTensorsWriter writer = OpenShardIfNeeded();
            if (writer.CurrentTensor is { } missing)
            {
                throw new InvalidOperationException(
                    $"'{writer.FilePath}': tensor '{missing.Name}' is not fully written; every declared tensor must be written before Complete.");
            }

            CloseShard();
        }

        if (IndexFileName is not null)
        {
            WriteIndex();
        }

        _completed = true;
    }

    /// <summary>Closes the open shard; if <see cref="Complete"/> was not called, deletes every file written.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer?.Dispose();
        if (!_completed)
        {
            for (int s = 0; s < _shard && s < _fileNames.Length; s++)
            {
                try
                {
                    File.Delete(Path.Combine(Directory, _fileNames[s]));
                }
                catch (IOException)
                {
                    // Best effort: a partial checkpoint without its index is not loadable anyway.
                }
            }
        }
    }

    private SafeTensorsWriter CurrentWriter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException($"The checkpoint in '{Directory}' is already complete.");
        }

        while (true)
        {
            if (_shard >= _shards.Length)
            {
                throw new InvalidOperationException($"'{Directory}': every declared tensor is already written.");
            }

            SafeTensorsWriter writer = OpenShardIfNeeded();
            if (writer.CurrentTensor is not null)
            {
                return writer;
            }

            CloseShard();
        }
    }

    private SafeTensorsWriter OpenShardIfNeeded() =>
        _writer ??= SafeTensorsWriter.Create(Path.Combine(Directory, _fileNames[_shard]), _shards[_shard], _metadata);

    private void CloseShardIfFull(SafeTensorsWriter writer)
    {
        if (writer.CurrentTensor is null && _shard < _shards.Length - 1)
        {
            CloseShard();
        }
    }

    private void CloseShard()
    {
        if (_writer is null)
        {
            return;
        }

        _writer.Complete();
        _completedShardBytes += _writer.DataBytesWritten;
        _writer.Dispose();
        _writer = null;
        _shard++;
    }

    private void WriteIndex()
    {
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < _shards.Length; s++)
        {
            foreach (TensorDeclaration t in _shards[s])
            {
                weightMap[t.Name] = _fileNames[s];
            }
        }

        string path = Path.Combine(Directory, IndexFileName!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteNumber("total_size", TotalBytes);
        json.WriteEndObject();
        json.WriteStartObject("weight_map");
        foreach ((string name, string file) in weightMap)
        {
            json.WriteString(name, file);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
