using System.IO.MemoryMappedFiles;

namespace Andes.ModelBuilder;

/// <summary>
/// One <c>.safetensors</c> file, memory-mapped read-only: the header is parsed and validated when the file is opened,
/// tensor data is read on demand straight from the mapping, so the file is never loaded into memory as a whole.
/// </summary>
/// <remarks>
/// Format: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}</c>, offsets relative to the
/// data area), then the data area. Reads are safe from any number of threads; do not dispose while reading.
/// </remarks>
public sealed unsafe class SafeTensorsFile : ITensorSource
{
    private const int ChunkElements = 1 << 16;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Dictionary<string, TensorInfo> _byName;
    private byte* _base;
    private int _disposed;

    private SafeTensorsFile(string filePath, long fileLength, SafeTensorsHeader header, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        FilePath = filePath;
        FileLength = fileLength;
        DataStart = 8 + header.HeaderLength;
        Metadata = header.Metadata;
        Tensors = header.Tensors;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Names = _byName.Keys.Order(StringComparer.Ordinal).ToArray();
        _map = map;
        _view = view;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <summary>The file's length in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Byte offset of the data area (8 + header length).</summary>
    public long DataStart { get; }

    /// <summary>The header's <c>__metadata__</c> entries (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor, in the order of their data in the file.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>Opens and validates a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CheckpointException">
    /// Missing file, header length past the end of the file or over 100 MB, invalid JSON, unknown dtype, data offsets
    /// outside the data area or not matching dtype and shape, overlapping tensors (the message names file and tensor).
    /// </exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new CheckpointException($"safetensors file not found: '{fullPath}'.", fullPath);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot open '{fullPath}': {ex.Message}", fullPath, innerException: ex);
        }

        MemoryMappedFile? map = null;
        try
        {
            SafeTensorsHeader header = SafeTensorsHeader.Read(stream, fullPath);
            long length = stream.Length;
            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafeTensorsFile(fullPath, length, header, map, view);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            map?.Dispose();
            stream.Dispose();
            throw new CheckpointException($"Cannot read '{fullPath}': {ex.Message}", fullPath, innerException: ex);
        }
        catch
        {
            map?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks a tensor up.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="info">Its description when present.</param>
    /// <returns>Whether the file holds that tensor.</returns>
    public bool TryGetInfo(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TensorInfo? info) =>
        _byName.TryGetValue(name, out info);

    /// <inheritdoc />
    public TensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out TensorInfo? info)
            ? info
            : throw new CheckpointException($"'{FilePath}' has no tensor '{name}'.", FilePath, name);

    /// <inheritdoc />
    public void ReadFloat32(string name, long elementOffset, Span<float> destination)
    {
        TensorInfo info = GetInfo(name);
        CheckRange(info, elementOffset, destination.Length, "elements");
        int size = info.DataType.GetElementSize();
        byte* start = Base + info.DataOffset + (elementOffset * size);
        for (int done = 0; done < destination.Length; done += ChunkElements)
        {
            int n = Math.Min(ChunkElements, destination.Length - done);
            ElementConverter.ToFloat32(info.DataType, new ReadOnlySpan<byte>(start + ((long)done * size), n * size), destination.Slice(done, n));
        }
    }

    /// <summary>
    /// Copies <paramref name="destination"/>.Length raw bytes of a tensor's stored data (little-endian, its own
    /// element type), starting at byte <paramref name="byteOffset"/> of the tensor.
    /// </summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="byteOffset">The first byte, relative to the tensor's data.</param>
    /// <param name="destination">Receives the bytes.</param>
    /// <exception cref="CheckpointException">Missing tensor or a range past its end.</exception>
    public void ReadBytes(string name, long byteOffset, Span<byte> destination)
    {
        TensorInfo info = GetInfo(name);
        if (byteOffset < 0 || byteOffset > info.ByteLength || destination.Length > info.ByteLength - byteOffset)
        {
            throw new CheckpointException(
                $"'{FilePath}': cannot read bytes {byteOffset}..{byteOffset + destination.Length} of tensor '{name}', which has {info.ByteLength} bytes.",
                FilePath,
                name);
        }

        new ReadOnlySpan<byte>(Base + info.DataOffset + byteOffset, destination.Length).CopyTo(destination);
    }

    /// <summary>Unmaps the file. Reads must have finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{FilePath} ({Tensors.Count} tensors)";

    private byte* Base
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _base;
        }
    }

    private void CheckRange(TensorInfo info, long offset, int count, string unit)
    {
        long total = info.ElementCount;
        if (offset < 0 || offset > total || count > total - offset)
        {
            throw new CheckpointException(
                $"'{FilePath}': cannot read {unit} {offset}..{offset + count} of tensor '{info.Name}', which has {total} {unit} (shape {SafeTensorsHeader.FormatShape(info.Shape)}).",
                FilePath,
                info.Name);
        }
    }
}
