using System.Buffers.Binary;
using System.Text.Json;

namespace Andes.ModelBuilder;

/// <summary>
/// Parses and validates the header of a safetensors file: the 8-byte little-endian header length, the JSON header
/// (<c>{name: {dtype, shape, data_offsets}, "__metadata__": {...}}</c>) and the tensors' place in the data area.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100L * 1024 * 1024;

    private SafeTensorsHeader(long headerLength, IReadOnlyDictionary<string, string> metadata, List<TensorInfo> tensors)
    {
        HeaderLength = headerLength;
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>The JSON header's length in bytes (the data area starts at 8 + this).</summary>
    public long HeaderLength { get; }

    /// <summary>The <c>__metadata__</c> entries.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors, ordered by their place in the file.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>Reads and validates the header of <paramref name="stream"/>, a file of <paramref name="filePath"/>.</summary>
    /// <exception cref="CheckpointException">Any defect, with the file and tensor named.</exception>
    public static SafeTensorsHeader Read(Stream stream, string filePath)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new CheckpointException(
                $"'{filePath}' is truncated: {fileLength} bytes, too short for the 8-byte header length of a safetensors file.", filePath);
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > MaxHeaderLength)
        {
            throw new CheckpointException(
                $"'{filePath}' declares a header of {declared} bytes, more than the 100 MB limit: not a safetensors file, or corrupt.", filePath);
        }

        long headerLength = (long)declared;
        if (headerLength > fileLength - 8)
        {
            throw new CheckpointException(
                $"'{filePath}' declares a header of {headerLength} bytes but the file has only {fileLength - 8} bytes after the length prefix: truncated or not a safetensors file.",
                filePath);
        }

        if (headerLength < 2)
        {
            throw new CheckpointException($"'{filePath}' declares a header of {headerLength} bytes: too short for a JSON object.", filePath);
        }

        byte[] json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataLength = fileLength - 8 - headerLength;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"'{filePath}' has an invalid JSON header: {ex.Message}", filePath, innerException: ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(
                    $"'{filePath}' has a JSON header of kind {document.RootElement.ValueKind}; expected an object of tensors.", filePath);
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<TensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!JsonText.TryGetName(property, out string? name))
                {
                    string raw = JsonText.RawName(property);
                    throw new CheckpointException(
                        $"'{filePath}': tensor name \"{raw}\" is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", filePath, raw);
                }

                if (!seen.Add(name))
                {
                    throw new CheckpointException($"'{filePath}' declares tensor '{name}' twice.", filePath, name);
                }

                if (name == "__metadata__")
                {
                    ReadMetadata(property.Value, metadata, filePath);
                    continue;
                }

                tensors.Add(ReadTensor(name, property.Value, filePath, 8 + headerLength, dataLength));
            }

            CheckOverlaps(tensors, filePath);
            return new SafeTensorsHeader(headerLength, metadata, tensors.OrderBy(t => t.DataOffset).ThenBy(t => t.Name, StringComparer.Ordinal).ToList());
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string filePath)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException($"'{filePath}': '__metadata__' is a {element.ValueKind}; expected an object of strings.", filePath);
        }

        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (!JsonText.TryGetName(entry, out string? key))
            {
                throw new CheckpointException(
                    $"'{filePath}': '__metadata__' key \"{JsonText.RawName(entry)}\" is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", filePath);
            }

            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(
                    $"'{filePath}': '__metadata__.{key}' is a {entry.Value.ValueKind}; metadata values must be strings.", filePath);
            }

            if (!JsonText.TryGetString(entry.Value, out string? value))
            {
                throw new CheckpointException(
                    $"'{filePath}': '__metadata__.{key}' ({JsonText.RawText(entry.Value)}) is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", filePath);
            }

            metadata[key] = value;
        }
    }

    private static TensorInfo ReadTensor(string name, JsonElement entry, string filePath, long dataStart, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Error($"its header entry is a {entry.ValueKind}; expected an object with dtype, shape and data_offsets");
        }

        if (JsonText.HasUnreadableName(entry, out string? badKey))
        {
            throw Error($"its header entry has a key \"{badKey}\" that is not valid Unicode text (a lone surrogate escape or invalid UTF-8)");
        }

        if (!entry.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Error("field 'dtype' is missing or not a string");
        }

        if (!JsonText.TryGetString(dtypeElement, out string? dtype))
        {
            throw Error($"field 'dtype' ({JsonText.RawText(dtypeElement)}) is not valid Unicode text (a lone surrogate escape or invalid UTF-8)");
        }

        if (!TensorDataTypeExtensions.TryParseSafeTensorsName(dtype, out TensorDataType dataType))
        {
            throw Error($"unknown dtype '{dtype}' (known: F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)");
        }

        if (!entry.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Error("field 'shape' is missing or not an array");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        int k = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
            {
                throw Error($"shape entry {k} ({JsonText.RawText(dim)}) is not a non-negative integer");
            }

            shape[k++] = d;
        }

        if (!entry.TryGetProperty("data_offsets", out JsonElement offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw Error("field 'data_offsets' is missing or not an array [begin, end]");
        }

        long begin = ReadOffset(offsetsElement[0], "begin");
        long end = ReadOffset(offsetsElement[1], "end");
        string shapeText = FormatShape(shape);
        if (end < begin)
        {
            throw Error($"data_offsets [{begin}, {end}] end before they begin");
        }

        if (end > dataLength)
        {
            throw Error(
                $"data_offsets [{begin}, {end}] lie outside the data area of {dataLength} bytes (the file is truncated or the header is corrupt)");
        }

        long elements;
        long expectedBytes;
        try
        {
            elements = 1;
            foreach (long d in shape)
            {
                elements = checked(elements * d);
            }

            expectedBytes = checked(elements * dataType.GetElementSize());
        }
        catch (OverflowException)
        {
            throw Error($"shape {shapeText} is too large");
        }

        if (end - begin != expectedBytes)
        {
            throw Error(
                $"data_offsets [{begin}, {end}] span {end - begin} bytes but {dtype} with shape {shapeText} needs {expectedBytes} bytes");
        }

        return new TensorInfo(name, dataType, shape, filePath, dataStart + begin, end - begin);

        long ReadOffset(JsonElement element, string what)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            {
                throw Error($"data_offsets {what} ({JsonText.RawText(element)}) is not a non-negative integer");
            }

            return value;
        }

        CheckpointException Error(string what) => new($"'{filePath}': tensor '{name}': {what}.", filePath, name);
    }

    private static void CheckOverlaps(List<TensorInfo> tensors, string filePath)
    {
        TensorInfo? previous = null;
        foreach (TensorInfo t in tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.DataOffset))
        {
            if (previous is not null && t.DataOffset < previous.DataOffset + previous.ByteLength)
            {
                throw new CheckpointException(
                    $"'{filePath}': tensors '{previous.Name}' and '{t.Name}' overlap in the data area " +
                    $"(bytes {previous.DataOffset}-{previous.DataOffset + previous.ByteLength} and {t.DataOffset}-{t.DataOffset + t.ByteLength} of the file).",
                    filePath,
                    t.Name);
            }

            previous = t;
        }
    }

    /// <summary>Formats a shape as <c>[a, b, c]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
