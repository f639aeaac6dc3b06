using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Appends initializer bytes to an ONNX external-data file as they are produced, so a converted model is never held in
/// memory. Each tensor starts at an aligned offset (so memory-mapped weights are aligned).
/// </summary>
/// <remarks>Not thread-safe: one writer per graph being built.</remarks>
internal sealed class ExternalDataWriter : IDisposable
{
    private const int Alignment = 64;
    private readonly FileStream _stream;
    private long _tensorStart = -1;

    public ExternalDataWriter(string dataFilePath)
    {
        FilePath = dataFilePath;
        FileName = Path.GetFileName(dataFilePath);
        _stream = new FileStream(dataFilePath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    }

    /// <summary>The data file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The data file's name, as written into <c>location</c> (relative to the model file).</summary>
    public string FileName { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Length;

    /// <summary>Starts a tensor: pads to the alignment.</summary>
    public void BeginTensor()
    {
        if (_tensorStart >= 0)
        {
            throw new InvalidOperationException("A tensor is already being written.");
        }

        long pad = (Alignment - (_stream.Position % Alignment)) % Alignment;
        for (long i = 0; i < pad; i++)
        {
            _stream.WriteByte(0);
        }

        _tensorStart = _stream.Position;
    }

    /// <summary>Appends bytes to the tensor being written.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_tensorStart < 0)
        {
            throw new InvalidOperationException("BeginTensor was not called.");
        }

        _stream.Write(bytes);
    }

    /// <summary>Ends the tensor and points <paramref name="tensor"/> at its bytes.</summary>
    public void EndTensor(TensorProto tensor)
    {
        long length = _stream.Position - _tensorStart;
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Clear();
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = FileName });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = _tensorStart.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _tensorStart = -1;
    }

    public void Dispose() => _stream.Dispose();
}
