using System.Buffers.Binary;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Reads a small <c>.safetensors</c> file (an adapter's weights) whole, converting F32, F16, BF16 and F64 elements to
/// float32. The engine's own minimal reader: adapters are megabytes, so no memory mapping or streaming is needed.
/// </summary>
internal static class AdapterTensorFile
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>A tensor: its shape and values.</summary>
    public sealed record Tensor(long[] Shape, float[] Data);

    /// <summary>Reads every tensor and the <c>__metadata__</c> entries.</summary>
    /// <exception cref="LoraAdapterException">Missing, truncated or invalid file, or an unsupported element type (named).</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new LoraAdapterException($"Adapter weights not found: '{path}'.", path, null);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"Cannot read '{path}': {ex.Message}", path, null, ex);
        }

        if (bytes.Length < 8)
        {
            throw new LoraAdapterException($"'{path}' is too short to be a safetensors file.", path, null);
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > bytes.Length - 8)
        {
            throw new LoraAdapterException($"'{path}' has a header length of {headerLength} bytes, past the end of its {bytes.Length} bytes.", path, null);
        }

        long dataStart = 8 + (long)headerLength;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        }
        catch (JsonException ex)
        {
            throw new LoraAdapterException($"'{path}' has an invalid safetensors header: {ex.Message}", path, null, ex);
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LoraAdapterException($"'{path}' has a safetensors header of kind {header.RootElement.ValueKind}; expected an object of tensors.", path, null);
            }

            foreach (JsonProperty entry in header.RootElement.EnumerateObject())
            {
                if (!JsonText.TryGetName(entry, out string? name))
                {
                    string raw = JsonText.RawName(entry);
                    throw new LoraAdapterException($"'{path}': tensor name \"{raw}\" is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", path, raw);
                }

                if (name == "__metadata__")
                {
                    ReadMetadata(entry.Value, metadata, path);
                    continue;
                }

                if (tensors.ContainsKey(name))
                {
                    throw new LoraAdapterException($"'{path}' declares tensor '{name}' twice.", path, name);
                }

                tensors[name] = ReadTensor(bytes, dataStart, name, entry.Value, path);
            }
        }

        return (tensors, metadata);
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LoraAdapterException($"'{path}': '__metadata__' is a {element.ValueKind}; expected an object of strings.", path, null);
        }

        foreach (JsonProperty m in element.EnumerateObject())
        {
            if (!JsonText.TryGetName(m, out string? key))
            {
                throw new LoraAdapterException($"'{path}': '__metadata__' key \"{JsonText.RawName(m)}\" is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", path, null);
            }

            if (m.Value.ValueKind != JsonValueKind.String)
            {
                metadata[key] = JsonText.RawText(m.Value);
            }
            else if (JsonText.TryGetString(m.Value, out string? value))
            {
                metadata[key] = value;
            }
            else
            {
                throw new LoraAdapterException($"'{path}': '__metadata__.{key}' ({JsonText.RawText(m.Value)}) is not valid Unicode text (a lone surrogate escape or invalid UTF-8).", path, null);
            }
        }
    }

    private static Tensor ReadTensor(byte[] bytes, long dataStart, string name, JsonElement entry, string path)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Error($"its header entry is a {entry.ValueKind}; expected an object with dtype, shape and data_offsets");
        }

        if (JsonText.HasUnreadableName(entry, out string? badKey))
        {
            throw Error($"its header entry has a key \"{badKey}\" that is not valid Unicode text (a lone surrogate escape or invalid UTF-8)");
        }

        if (!entry.TryGetProperty("dtype", out JsonElement dtypeElement) || !JsonText.TryGetString(dtypeElement, out string? dtype))
        {
            throw Error("field 'dtype' is missing or not a string");
        }

        int size = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" => 8,
            _ => throw new LoraAdapterException($"'{path}': tensor '{name}' has element type {dtype}; adapters must be F32, F16, BF16 or F64.", path, name),
        };

        if (!entry.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Error("field 'shape' is missing or not an array");
        }

        // Dimensions past int.MaxValue cannot index a matrix here; with a zero dimension they would pass the byte count.
        long[] shape = new long[shapeElement.GetArrayLength()];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            JsonElement dim = shapeElement[i];
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0 || d > int.MaxValue)
            {
                throw Error($"shape entry {i} ({JsonText.RawText(dim)}) is not an integer from 0 to {int.MaxValue}");
            }

            shape[i] = d;
            count = count > bytes.Length ? count : count * d; // saturates: any count past the file's size is refused below
        }

        if (!entry.TryGetProperty("data_offsets", out JsonElement offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
        {
            throw Error("field 'data_offsets' is missing or not an array [begin, end]");
        }

        long begin = ReadOffset(offsetsElement[0], "begin"), end = ReadOffset(offsetsElement[1], "end");
        long dataLength = bytes.Length - dataStart;
        if (end < begin || end > dataLength || count > dataLength || end - begin != count * size)
        {
            throw new LoraAdapterException($"'{path}': tensor '{name}' has data offsets [{begin}, {end}] that do not fit its shape [{string.Join(", ", shape)}] and {dtype}, or the file.", path, name);
        }

        ReadOnlySpan<byte> raw = bytes.AsSpan((int)(dataStart + begin), (int)(count * size));
        float[] data = new float[count];
        switch (dtype)
        {
            case "F32":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                }

                break;
            case "F16":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                }

                break;
            case "BF16":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16);
                }

                break;
            default:
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                }

                break;
        }

        return new Tensor(shape, data);

        long ReadOffset(JsonElement element, string what)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            {
                throw Error($"data_offsets {what} ({JsonText.RawText(element)}) is not a non-negative integer");
            }

            return value;
        }

        LoraAdapterException Error(string what) => new($"'{path}': tensor '{name}': {what}.", path, name);
    }
}
