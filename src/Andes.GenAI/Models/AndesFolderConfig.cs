using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// <c>andes_config.json</c>: what a model folder says about the model that ONNX Runtime GenAI's <c>genai_config.json</c>
/// schema has no field for. ONNX Runtime GenAI parses <c>genai_config.json</c> strictly and refuses unknown fields, so
/// anything of ours lives here, in a file it never reads, and the folder loads in both engines unmodified.
/// </summary>
public sealed class AndesFolderConfig
{
    /// <summary>The file name inside a model folder.</summary>
    public const string FileName = "andes_config.json";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>AndesVL's image end token (<c>&lt;/img&gt;</c>), used when neither file names one.</summary>
    public const int DefaultVisionEndTokenId = 151653;

    private static readonly AndesGenAIJsonContext Json = new(new JsonSerializerOptions
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>The format version (1).</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>
    /// The model's real architecture (<c>andesvl</c>). <c>genai_config.json</c>'s <c>model.type</c> names the ONNX Runtime
    /// GenAI model type whose contract the graphs follow (<c>phi3v</c> or <c>qwen3</c>), which is not the architecture.
    /// </summary>
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }

    /// <summary>The checkpoint's <c>model_type</c> the folder was converted from.</summary>
    [JsonPropertyName("source_model_type")] public string? SourceModelType { get; set; }

    /// <summary>The image end token id (<c>&lt;/img&gt;</c>) written after each image's placeholders.</summary>
    [JsonPropertyName("vision_end_token_id")] public int? VisionEndTokenId { get; set; }

    /// <summary>Reads the folder's <c>andes_config.json</c>, or returns null when the folder has none (a folder made by another tool).</summary>
    /// <param name="directory">The model folder.</param>
    /// <exception cref="ModelConfigurationException">The file exists but is not valid (the message names the file and the field).</exception>
    public static AndesFolderConfig? TryLoad(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            AndesFolderConfig config = JsonSerializer.Deserialize(stream, Json.AndesFolderConfig)
                ?? throw new ModelConfigurationException($"'{path}' is empty.", path, null);
            if (config.FormatVersion != CurrentFormatVersion)
            {
                throw new ModelConfigurationException(
                    $"'{path}': field 'format_version' is {config.FormatVersion}; this version of Andes reads {CurrentFormatVersion}.", path, "format_version");
            }

            return config;
        }
        catch (JsonException ex)
        {
            string field = ex.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : string.Empty;
            throw new ModelConfigurationException($"'{path}': invalid field '{field}' ({ex.Message})", path, field, ex);
        }
    }

    /// <summary>Writes this configuration into a model folder.</summary>
    /// <param name="directory">The model folder.</param>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json.AndesFolderConfig));
    }
}
