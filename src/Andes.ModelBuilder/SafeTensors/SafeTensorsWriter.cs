using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace Andes.ModelBuilder;

/// <summary>
/// Writes one <c>.safetensors</c> file as a stream: every tensor is declared up front (so the header can be written
/// first), then the data of each tensor is written in declaration order, in pieces of any size. Float32 values are
/// converted to the declared element type chunk by chunk, so no tensor is ever buffered whole.
/// </summary>
/// <remarks>
/// Call <see cref="Complete"/> after the last tensor; disposing an incomplete writer deletes the partial file.
/// Not thread-safe.
/// </remarks>
public sealed class SafeTensorsWriter : IDisposable
{
    private const int ChunkElements = 1 << 16;

    private readonly FileStream _stream;
    private readonly TensorDeclaration[] _tensors;
    private byte[]? _buffer;
    private int _current;
    private long _writtenInCurrent;
    private bool _completed;
    private bool _disposed;

    private SafeTensorsWriter(string filePath, FileStream stream, TensorDeclaration[] tensors, long headerLength)
    {
        FilePath = filePath;
        _stream = stream;
        _tensors = tensors;
        DataLength = tensors.Sum(t => t.ByteLength);
        FileLength = 8 + headerLength + DataLength;
        SkipEmptyTensors();
    }

    /// <summary>The metadata written when none is given: <c>{"format": "pt"}</c>, as PyTorch checkpoints carry.</summary>
    public static IReadOnlyDictionary<string, string> DefaultMetadata { get; } = new Dictionary<string, string> { ["format"] = "pt" };

    /// <summary>The full path of the file being written.</summary>
    public string FilePath { get; }

    /// <summary>The declared tensors, in the order their data is written.</summary>
    public IReadOnlyList<TensorDeclaration> Tensors => _tensors;

    /// <summary>The final file length in bytes.</summary>
    public long FileLength { get; }

    /// <summary>The total tensor data in bytes.</summary>
    public long DataLength { get; }

    /// <summary>Tensor data written so far, in bytes.</summary>
    public long DataBytesWritten { get; private set; }

    /// <summary>The tensor the next write goes to; null when every tensor is written.</summary>
    public TensorDeclaration? CurrentTensor => _current < _tensors.Length ? _tensors[_current] : null;

    /// <summary>Creates the file (replacing any existing one) and writes its header.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">Every tensor the file will hold, in the order their data will be written.</param>
    /// <param name="metadata">The <c>__metadata__</c> entries; null for <see cref="DefaultMetadata"/>, empty for none.</param>
    /// <exception cref="ArgumentException">No path, a duplicate or reserved name, or an invalid shape.</exception>
    public static SafeTensorsWriter Create(string path, IEnumerable<TensorDeclaration> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        TensorDeclaration[] list = tensors.ToArray();
        byte[] header = BuildHeader(list, metadata ?? DefaultMetadata);
        string fullPath = Path.GetFullPath(path);
        var stream = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        try
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            return new SafeTensorsWriter(fullPath, stream, list, header.Length);
        }
        catch
        {
            stream.Dispose();
            File.Delete(fullPath);
            throw;
        }
    }

    /// <summary>
    /// Appends float32 values to the current tensor, converted to its element type (F32, F16, BF16 round to nearest
    /// even, F64). Moves on to the next tensor once the current one is full.
    /// </summary>
    /// <param name="values">The next elements of the current tensor, in row-major order.</param>
    /// <exception cref="InvalidOperationException">No tensor left, more values than the tensor has room for, or the writer completed.</exception>
    /// <exception cref="NotSupportedException">The current tensor's element type is not a float type.</exception>
    public void WriteFloat32(ReadOnlySpan<float> values)
    {
        TensorDeclaration tensor = BeginWrite();
        if (!tensor.DataType.IsWritableFromFloat32())
        {
            throw new NotSupportedException(
                $"Tensor '{tensor.Name}' is {tensor.DataType.ToSafeTensorsName()}: write its bytes with WriteBytes, float32 values can only go to F32, F16, BF16 or F64.");
        }

        int size = tensor.DataType.GetElementSize();
        CheckRoom(tensor, (long)values.Length * size);
        _buffer ??= ArrayPool<byte>.Shared.Rent(ChunkElements * 8);
        for (int done = 0; done < values.Length; done += ChunkElements)
        {
            int n = Math.Min(ChunkElements, values.Length - done);
            Span<byte> bytes = _buffer.AsSpan(0, n * size);
            ElementConverter.FromFloat32(tensor.DataType, values.Slice(done, n), bytes);
            _stream.Write(bytes);
        }

        Advance((long)values.Length * size);
    }

    /// <summary>Appends raw little-endian bytes, already in the current tensor's element type.</summary>
    /// <param name="data">The next bytes of the current tensor.</param>
    /// <exception cref="InvalidOperationException">No tensor left, more bytes than the tensor has room for, or the writer completed.</exception>
    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        TensorDeclaration tensor = BeginWrite();
        CheckRoom(tensor, data.Length);
        _stream.Write(data);
        Advance(data.Length);
    }

    /// <summary>Checks that every tensor was written in full, then flushes and closes the file.</summary>
    /// <exception cref="InvalidOperationException">A tensor is not (fully) written; the message names it.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        if (CurrentTensor is { } missing)
        {
            throw new InvalidOperationException(
                $"'{FilePath}': tensor '{missing.Name}' has {_writtenInCurrent} of its {missing.ByteLength} bytes; every declared tensor must be written before Complete.");
        }

        _stream.Flush(flushToDisk: false);
        _stream.Dispose();
        _completed = true;
        ReturnBuffer();
    }

    /// <summary>Closes the file; if <see cref="Complete"/> was not called, deletes the partial file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReturnBuffer();
        if (!_completed)
        {
            _stream.Dispose();
            try
            {
                File.Delete(FilePath);
            }
            catch (IOException)
            {
                // The partial file stays; a reader reports it as truncated.
            }
        }
    }

    /// <summary>Builds the JSON header (padded with spaces to a multiple of 8 bytes) for tensors laid out in order.</summary>
    internal static byte[] BuildHeader(IReadOnlyList<TensorDeclaration> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach ((string key, string value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (TensorDeclaration t in tensors)
            {
                ArgumentNullException.ThrowIfNull(t);
                t.Validate();
                if (!names.Add(t.Name))
                {
                    throw new ArgumentException($"Tensor '{t.Name}' is declared twice.", nameof(tensors));
                }

                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DataType.ToSafeTensorsName());
                json.WriteStartArray("shape");
                foreach (long d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += t.ByteLength;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private TensorDeclaration BeginWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException($"'{FilePath}' is already complete.");
        }

        return CurrentTensor ?? throw new InvalidOperationException($"'{FilePath}': every declared tensor is already written.");
    }

    private void CheckRoom(TensorDeclaration tensor, long bytes)
    {
        if (bytes > tensor.ByteLength - _writtenInCurrent)
        {
            throw new InvalidOperationException(
                $"'{FilePath}': writing {bytes} bytes to tensor '{tensor.Name}', which has only {tensor.ByteLength - _writtenInCurrent} of its {tensor.ByteLength} bytes left; a write cannot cross into the next tensor.");
        }
    }

    private void Advance(long bytes)
    {
        _writtenInCurrent += bytes;
        DataBytesWritten += bytes;
        SkipEmptyTensors();
    }

    private void SkipEmptyTensors()
    {
        while (_current < _tensors.Length && _writtenInCurrent == _tensors[_current].ByteLength)
        {
            _current++;
            _writtenInCurrent = 0;
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
