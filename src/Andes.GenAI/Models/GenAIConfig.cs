using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// A model folder's <c>genai_config.json</c> (the ONNX Runtime GenAI schema), read strictly: an unknown or invalid field,
/// or one Andes cannot honour, is a <see cref="ModelConfigurationException"/> that names the field and the file. Fields
/// the file leaves out take ONNX Runtime GenAI's defaults, so folders written by its model builder load as they are.
/// </summary>
public sealed class GenAIConfig
{
    /// <summary>The file name inside a model folder.</summary>
    public const string FileName = "genai_config.json";

    /// <summary>The model: token ids, context length and its graphs.</summary>
    [JsonPropertyName("model")] public GenAIModelConfig Model { get; set; } = new();

    /// <summary>Default generation parameters (ONNX Runtime GenAI's defaults when the section is absent).</summary>
    [JsonPropertyName("search")] public GenAISearchConfig Search { get; set; } = new();

    private static readonly AndesGenAIJsonContext StrictJson = new(new JsonSerializerOptions
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    });

    /// <summary>Reads and validates <c>genai_config.json</c> from a model folder or a file path.</summary>
    /// <param name="path">The model folder or the file.</param>
    /// <exception cref="ModelConfigurationException">Missing file, invalid JSON, an unknown field or an invalid value.</exception>
    public static GenAIConfig Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
        {
            throw new ModelConfigurationException($"Model configuration not found: '{file}'.", file, null);
        }

        using FileStream stream = File.OpenRead(file);
        return Parse(stream, file);
    }

    /// <summary>Parses and validates a configuration from a stream.</summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    public static GenAIConfig Parse(Stream json, string sourceName)
    {
        GenAIConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, StrictJson.GenAIConfig);
        }
        catch (JsonException ex)
        {
            string field = FieldFromPath(ex.Path);
            string what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field" : "invalid value";
            string detail = ex.Message;
            // System.Text.Json names the unmapped property in its message: 'The JSON property 'x' could not be mapped...'
            int q1 = detail.IndexOf('\'');
            int q2 = q1 >= 0 ? detail.IndexOf('\'', q1 + 1) : -1;
            if (what == "unknown field" && q2 > q1)
            {
                string prop = detail.Substring(q1 + 1, q2 - q1 - 1);
                if (!field.EndsWith(prop, StringComparison.Ordinal))
                {
                    field = field.Length == 0 ? prop : $"{field}.{prop}";
                }
            }

            throw new ModelConfigurationException($"'{sourceName}': {what} '{field}' ({ex.Message})", sourceName, field, ex);
        }

        if (config is null)
        {
            throw new ModelConfigurationException($"'{sourceName}' is empty.", sourceName, null);
        }

        config.Validate(sourceName);
        return config;
    }

    /// <summary>Writes this configuration as <c>genai_config.json</c> into a model folder.</summary>
    /// <param name="directory">The model folder.</param>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, StrictJson.GenAIConfig));
    }

    private static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    // Mirrors ONNX Runtime GenAI's Config constructor (src/config.cpp): context_length must be set, max_length 0 becomes
    // context_length, an empty eos_token_id becomes [pad_token_id]. The decoder's shape fields may be 0 here: the graph
    // supplies them where ONNX Runtime GenAI takes them from it (DecoderSignature.Create).
    private void Validate(string file)
    {
        GenAIModelConfig m = Model ?? throw Invalid(file, "model", "missing");
        if (m.ContextLength == 0)
        {
            throw new ModelConfigurationException($"'{file}': field 'model.context_length' is missing or 0; it must be greater than 0.", file, "model.context_length");
        }

        Require(m.ContextLength > 0, file, "model.context_length", m.ContextLength);
        Require(m.VocabSize > 0, file, "model.vocab_size", m.VocabSize);
        if (m.EosTokenId is not { Length: > 0 })
        {
            // ONNX Runtime GenAI's pad_token_id is 0 when the file has none.
            m.EosTokenId = [m.PadTokenId ?? 0];
        }

        GenAIDecoderConfig d = m.Decoder ?? throw Invalid(file, "model.decoder", "missing");
        Require(!string.IsNullOrWhiteSpace(d.Filename), file, "model.decoder.filename", d.Filename ?? "null");
        Require(d.NumHiddenLayers >= 0, file, "model.decoder.num_hidden_layers", d.NumHiddenLayers);
        Require(d.NumKeyValueHeads >= 0, file, "model.decoder.num_key_value_heads", d.NumKeyValueHeads);
        Require(d.NumAttentionHeads >= 0, file, "model.decoder.num_attention_heads", d.NumAttentionHeads);
        Require(d.HeadSize >= 0, file, "model.decoder.head_size", d.HeadSize);
        Require(d.HiddenSize >= 0, file, "model.decoder.hidden_size", d.HiddenSize);
        if (d.SlidingWindow is not null)
        {
            throw Unsupported(file, "model.decoder.sliding_window", "sliding-window attention");
        }

        if (d.Pipeline is not null)
        {
            throw Unsupported(file, "model.decoder.pipeline", "decoder pipelines (several graphs per decoder step)");
        }

        // System.Text.Json stores an explicit null in a property typed non-null (e.g. "inputs": null), which would be a
        // NullReferenceException where the model reads it: each is checked here and named.
        NotNull(m.Type, file, "model.type");
        NotNull(d.Inputs, file, "model.decoder.inputs");
        NotNull(d.Outputs, file, "model.decoder.outputs");
        NotNull(d.Outputs.Logits, file, "model.decoder.outputs.logits");
        NoNullValues(d.RunOptions, file, "model.decoder.run_options");
        CheckSessionOptions(d.SessionOptions, file, "model.decoder.session_options");
        if (m.Embedding is { } e)
        {
            Require(!string.IsNullOrWhiteSpace(e.Filename), file, "model.embedding.filename", e.Filename ?? "null");
            NotNull(e.Inputs, file, "model.embedding.inputs");
            NotNull(e.Inputs.InputIds, file, "model.embedding.inputs.input_ids");
            NotNull(e.Outputs, file, "model.embedding.outputs");
            NotNull(e.Outputs.InputsEmbeds, file, "model.embedding.outputs.inputs_embeds");
            CheckSessionOptions(e.SessionOptions, file, "model.embedding.session_options");
        }

        if (m.Vision is { } v)
        {
            Require(!string.IsNullOrWhiteSpace(v.Filename), file, "model.vision.filename", v.Filename ?? "null");
            NotNull(v.Inputs, file, "model.vision.inputs");
            NotNull(v.Inputs.PixelValues, file, "model.vision.inputs.pixel_values");
            NotNull(v.Outputs, file, "model.vision.outputs");
            NotNull(v.Outputs.ImageFeatures, file, "model.vision.outputs.image_features");
            CheckSessionOptions(v.SessionOptions, file, "model.vision.session_options");
        }

        GenAISearchConfig s = Search ?? throw Invalid(file, "search", "missing");
        Require(s.MaxLength >= 0, file, "search.max_length", s.MaxLength);
        if (s.MaxLength == 0)
        {
            s.MaxLength = m.ContextLength;
        }

        Require(s.TopK >= 0, file, "search.top_k", s.TopK);
        Require(s.TopP is >= 0 and <= 1, file, "search.top_p", s.TopP);
        Require(s.Temperature >= 0, file, "search.temperature", s.Temperature);
        Require(s.RepetitionPenalty > 0, file, "search.repetition_penalty", s.RepetitionPenalty);
        Require(s.BatchSize is null or > 0, file, "search.batch_size", s.BatchSize ?? 0);
        Require(s.NumBeams > 0, file, "search.num_beams", s.NumBeams);
        if (s.NumBeams > 1)
        {
            throw Unsupported(file, "search.num_beams", $"beam search ({s.NumBeams} beams; it decodes one sequence greedily or by sampling)");
        }
    }

    private static void NotNull([System.Diagnostics.CodeAnalysis.NotNull] object? value, string file, string field)
    {
        if (value is null)
        {
            throw Invalid(file, field, "null");
        }
    }

    private static void NoNullValues<T>(Dictionary<string, T>? entries, string file, string field)
    {
        foreach ((string key, T value) in entries ?? [])
        {
            NotNull(value, file, $"{field}.{key}");
        }
    }

    private static void CheckSessionOptions(GenAISessionOptions? options, string file, string field)
    {
        List<Dictionary<string, Dictionary<string, string>>>? providers = options?.ProviderOptions;
        for (int i = 0; providers is not null && i < providers.Count; i++)
        {
            string entry = $"{field}.provider_options[{i}]";
            NotNull(providers[i], file, entry);
            foreach ((string provider, Dictionary<string, string> settings) in providers[i])
            {
                NotNull(settings, file, $"{entry}.{provider}");
                NoNullValues(settings, file, $"{entry}.{provider}");
            }
        }
    }

    private static void Require(bool ok, string file, string field, object value)
    {
        if (!ok)
        {
            throw Invalid(file, field, value);
        }
    }

    private static ModelConfigurationException Invalid(string file, string field, object value)
        => new($"'{file}': field '{field}' has an invalid value '{value}'.", file, field);

    private static ModelConfigurationException Unsupported(string file, string field, string what)
        => new($"'{file}': field '{field}' asks for {what}, which Andes does not support.", file, field);
}
