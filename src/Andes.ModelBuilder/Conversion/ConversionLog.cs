using System.Text.Json;
using Andes.GenAI;

namespace Andes.ModelBuilder;

/// <summary>
/// The per-tensor log <see cref="ModelConverter"/> writes into a converted model folder (<c>andes_conversion.json</c>):
/// every converted tensor with its name, shape, precision and stored bytes. Read back by tools that reason about a
/// folder's weights without opening its graphs (FLOP counts, the bytes each decoded token reads).
/// </summary>
public sealed class ConversionLog
{
    /// <summary>The log's file name in a model folder.</summary>
    public const string FileName = ModelConverter.ConversionLogFileName;

    private ConversionLog(string filePath, IReadOnlyList<ConversionLogTensor> tensors)
    {
        FilePath = filePath;
        Tensors = tensors;
    }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>The tensors, in the order they were converted.</summary>
    public IReadOnlyList<ConversionLogTensor> Tensors { get; }

    /// <summary>Reads <c>andes_conversion.json</c> from a model folder.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>The log.</returns>
    /// <exception cref="FileNotFoundException">The folder has no <c>andes_conversion.json</c> (it was not converted by Andes).</exception>
    /// <exception cref="ModelConfigurationException">The file is not JSON, or a tensor entry lacks its name or shape (the message names the entry and field).</exception>
    public static ConversionLog Read(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        string path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{modelDirectory}' has no {FileName}: it is written by andes convert.", path);
        }

        var tensors = new List<ConversionLogTensor>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("tensors", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new ModelConfigurationException($"'{path}': field 'tensors' is missing or not an array.", path, "tensors");
            }

            int index = 0;
            foreach (JsonElement entry in list.EnumerateArray())
            {
                tensors.Add(ReadTensor(entry, $"tensors[{index++}]", path));
            }
        }
        catch (JsonException e)
        {
            throw new ModelConfigurationException($"'{path}' is not valid JSON: {e.Message}", path, null, e);
        }

        return new ConversionLog(path, tensors);
    }

    // Name and shape are what every reader needs; precision and bytes are read when present so that a log written by an
    // older builder (or trimmed by hand to the shapes) still serves shape-only uses.
    private static ConversionLogTensor ReadTensor(JsonElement entry, string field, string path)
    {
        string name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()!
            : throw new ModelConfigurationException($"'{path}': field '{field}.name' is missing or not a string.", path, field + ".name");
        if (!entry.TryGetProperty("shape", out JsonElement s) || s.ValueKind != JsonValueKind.Array
            || s.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0))
        {
            throw new ModelConfigurationException($"'{path}': field '{field}.shape' of '{name}' is missing or not an array of non-negative integers.", path, field + ".shape");
        }

        WeightPrecision? precision = entry.TryGetProperty("precision", out JsonElement p) && p.ValueKind == JsonValueKind.String
            && Enum.TryParse(p.GetString(), ignoreCase: false, out WeightPrecision parsed) ? parsed : null;
        long? bytes = entry.TryGetProperty("bytes", out JsonElement b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt64(out long stored) && stored >= 0 ? stored : null;
        return new ConversionLogTensor(name, [.. s.EnumerateArray().Select(d => d.GetInt64())], precision, bytes);
    }
}
