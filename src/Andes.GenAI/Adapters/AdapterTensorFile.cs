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

        byte[] bytes = File.ReadAllBytes(path);
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
            foreach (JsonProperty entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    foreach (JsonProperty m in entry.Value.EnumerateObject())
                    {
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    }

                    continue;
                }

                tensors[entry.Name] = ReadTensor(bytes, dataStart, entry, path);
            }
        }

        return (tensors, metadata);
    }

    private static Tensor ReadTensor(byte[] bytes, long dataStart, JsonProperty entry, string path)
    {
        string name = entry.Name;
        try
        {
            string dtype = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            int size = dtype switch
            {
                "F32" => 4,
                "F16" or "BF16" => 2,
                "F64" => 8,
                _ => throw new LoraAdapterException($"'{path}': tensor '{name}' has element type {dtype}; adapters must be F32, F16, BF16 or F64.", path, name),
            };
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != count * size || offsets[0] < 0 || dataStart + offsets[1] > bytes.Length)
            {
                throw new LoraAdapterException($"'{path}': tensor '{name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape [{string.Join(", ", shape)}] and {dtype}, or the file.", path, name);
            }

            ReadOnlySpan<byte> raw = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(count * size));
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
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LoraAdapterException($"'{path}': tensor '{name}' has an invalid header entry: {ex.Message}", path, name, ex);
        }
    }
}
