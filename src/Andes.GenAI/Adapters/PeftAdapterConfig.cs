using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The fields of a PEFT <c>adapter_config.json</c> that conversion needs (others are ignored): rank, alpha, rsLoRA,
/// per-module rank and alpha patterns, target modules.
/// </summary>
internal sealed class PeftAdapterConfig
{
    /// <summary>The file name inside a PEFT adapter folder.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>The weights file name inside a PEFT adapter folder.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    private static readonly AndesGenAIJsonContext Json = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    });

    [JsonPropertyName("peft_type")] public string? PeftType { get; set; } = "LORA";

    [JsonPropertyName("task_type")] public string? TaskType { get; set; } = "CAUSAL_LM";

    [JsonPropertyName("base_model_name_or_path")] public string? BaseModelNameOrPath { get; set; }

    [JsonPropertyName("r")] public int Rank { get; set; } = 8;

    [JsonPropertyName("lora_alpha")] public double LoraAlpha { get; set; } = 8;

    [JsonPropertyName("lora_dropout")] public double LoraDropout { get; set; }

    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; set; }

    [JsonPropertyName("use_dora")] public bool UseDora { get; set; }

    [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; set; }

    [JsonPropertyName("bias")] public string? Bias { get; set; } = "none";

    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; set; } = true;

    /// <summary>A list of module names, or one regular expression (a JSON string), or null.</summary>
    [JsonPropertyName("target_modules")] public JsonElement? TargetModules { get; set; }

    [JsonPropertyName("rank_pattern")] public Dictionary<string, int>? RankPattern { get; set; }

    [JsonPropertyName("alpha_pattern")] public Dictionary<string, double>? AlphaPattern { get; set; }

    /// <summary>Reads <c>adapter_config.json</c>.</summary>
    /// <exception cref="LoraAdapterException">Missing or invalid file, or an unsupported kind of adapter.</exception>
    public static PeftAdapterConfig Load(string directory)
    {
        string file = Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            throw new LoraAdapterException($"'{directory}' is not a PEFT adapter folder: it has no {FileName}.", directory, null);
        }

        PeftAdapterConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(File.ReadAllBytes(file), Json.PeftAdapterConfig);
        }
        catch (JsonException ex)
        {
            throw new LoraAdapterException($"'{file}' is not a valid PEFT adapter config (at '{ex.Path}'): {ex.Message}", file, null, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraAdapterException($"Cannot read '{file}': {ex.Message}", file, null, ex);
        }

        if (config is null)
        {
            throw new LoraAdapterException($"'{file}' is empty.", file, null);
        }

        if (config.PeftType is { } type && !string.Equals(type, "LORA", StringComparison.OrdinalIgnoreCase))
        {
            throw new LoraAdapterException($"'{file}': field 'peft_type' is '{type}'; only LORA adapters are supported.", file, null);
        }

        if (config.UseDora)
        {
            throw new LoraAdapterException($"'{file}': field 'use_dora' is true; DoRA adapters are not supported (their magnitude vectors cannot be folded into lora_B).", file, null);
        }

        if (config.Rank <= 0)
        {
            throw new LoraAdapterException($"'{file}': field 'r' must be positive, not {config.Rank}.", file, null);
        }

        if (!double.IsFinite(config.LoraAlpha))
        {
            throw new LoraAdapterException($"'{file}': field 'lora_alpha' must be a finite number, not {config.LoraAlpha}.", file, null);
        }

        // Checked here, once, so that a bad entry is named with its field instead of failing deep in conversion.
        foreach ((string key, int rank) in config.RankPattern ?? [])
        {
            CheckPattern(file, "rank_pattern", key);
            if (rank <= 0)
            {
                throw new LoraAdapterException($"'{file}': field 'rank_pattern' gives '{key}' rank {rank}; ranks must be positive.", file, null);
            }
        }

        foreach ((string key, double alpha) in config.AlphaPattern ?? [])
        {
            CheckPattern(file, "alpha_pattern", key);
            if (!double.IsFinite(alpha))
            {
                throw new LoraAdapterException($"'{file}': field 'alpha_pattern' gives '{key}' alpha {alpha}; it must be a finite number.", file, null);
            }
        }

        config.FilePath = file;
        return config;
    }

    /// <summary>The file this configuration was loaded from (for messages), null for one built in code.</summary>
    [JsonIgnore] public string? FilePath { get; private set; }

    private static void CheckPattern(string file, string field, string key)
    {
        try
        {
            _ = PatternRegex(key);
        }
        catch (ArgumentException ex)
        {
            throw new LoraAdapterException($"'{file}': field '{field}' has key '{key}', which is not a valid regular expression: {ex.Message}", file, null, ex);
        }
    }

    // A pattern is the adapter author's regular expression, run against module names: bounded in time so that a
    // catastrophically backtracking one fails with the file named instead of hanging the load.
    private static System.Text.RegularExpressions.Regex PatternRegex(string key) =>
        new($"^(?:.*\\.)?(?:{key})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Writes <c>adapter_config.json</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json.PeftAdapterConfig));

    /// <summary>The rank PEFT uses for a module (its <c>rank_pattern</c> entry, else <c>r</c>).</summary>
    /// <exception cref="LoraAdapterException">A pattern took too long to match.</exception>
    public int RankFor(string module) => Match(RankPattern, "rank_pattern", module, out int rank) ? rank : Rank;

    /// <summary>The scale folded into B for a module: alpha / r, or alpha / sqrt(r) with rsLoRA.</summary>
    /// <exception cref="LoraAdapterException">A pattern took too long to match.</exception>
    public double ScaleFor(string module)
    {
        int rank = RankFor(module);
        double alpha = Match(AlphaPattern, "alpha_pattern", module, out double a) ? a : LoraAlpha;
        return UseRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;
    }

    /// <summary>PEFT's pattern rule: a key matches a module whose full name is the key or ends with "." + key (keys may be regular expressions).</summary>
    private bool Match<T>(Dictionary<string, T>? patterns, string field, string module, out T value)
    {
        if (patterns is not null)
        {
            foreach ((string key, T v) in patterns)
            {
                bool matched;
                try
                {
                    matched = PatternRegex(key).IsMatch(module);
                }
                catch (System.Text.RegularExpressions.RegexMatchTimeoutException ex)
                {
                    throw new LoraAdapterException($"'{FilePath}': field '{field}' key '{key}' took more than {ex.MatchTimeout.TotalSeconds:0} s to match module '{module}' (a catastrophically backtracking regular expression).", FilePath, null, ex);
                }

                if (matched)
                {
                    value = v;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }
}
