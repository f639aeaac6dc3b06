using System.Text.Json;
using System.Text.Json.Serialization;
using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// <c>andes_lora.json</c>: what the model builder wrote into a model folder whose decoder takes LoRA inputs (a file of
/// our own, since <c>genai_config.json</c> is parsed strictly): the targeted projections, their sizes, the layer count
/// and a fingerprint of the base checkpoint, so adapters can be checked against the model before they are used. The
/// input names follow <see cref="LoraParameterNames"/>.
/// </summary>
public sealed class LoraModelManifest
{
    /// <summary>The file name inside a model folder.</summary>
    public const string FileName = "andes_lora.json";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly AndesGenAIJsonContext Json = new(new JsonSerializerOptions
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>The format version (1).</summary>
    [JsonPropertyName("format_version")] public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>The PEFT module names of the targeted projections (<c>q_proj</c> ... <c>down_proj</c>).</summary>
    [JsonPropertyName("targets")] public IList<string> TargetModules { get; set; } = [];

    /// <summary>The decoder's layer count: every layer has inputs for every target.</summary>
    [JsonPropertyName("num_layers")] public int NumLayers { get; set; }

    /// <summary>The sizes of each targeted projection, by PEFT module name.</summary>
    [JsonPropertyName("modules")] public IDictionary<string, LoraModuleShape> Modules { get; set; } = new Dictionary<string, LoraModuleShape>();

    /// <summary>The name pattern of the rank dimension of each projection's inputs (documentation, see <see cref="LoraParameterNames.RankDimension"/>).</summary>
    [JsonPropertyName("rank_dimension")] public string RankDimensionPattern { get; set; } = "model.layers.{layer}.{module}.lora_rank";

    /// <summary>The name pattern of the A inputs (documentation: <c>{layer}</c> and <c>{module}</c> are substituted).</summary>
    [JsonPropertyName("lora_a_name")] public string LoraANamePattern { get; set; } = "model.layers.{layer}.{module}.lora_A.weight";

    /// <summary>The name pattern of the B inputs.</summary>
    [JsonPropertyName("lora_b_name")] public string LoraBNamePattern { get; set; } = "model.layers.{layer}.{module}.lora_B.weight";

    /// <summary>
    /// Whether projections that read the same activation (the targeted ones among q/k/v, and gate/up) share one
    /// concatenated lora_A input (<see cref="LoraParameterNames.GroupA"/>), so each group costs one A product instead of
    /// one per projection. False (or absent) in folders converted before fusion: one A input per projection.
    /// </summary>
    [JsonPropertyName("fused_lora_a")] public bool FusedLoraA { get; set; }

    /// <summary>The A input a target's matrices go into: its fused group's (see <see cref="FusedLoraA"/>) or its own.</summary>
    /// <param name="target">One targeted projection.</param>
    public LoraTargets GroupOf(LoraTargets target) => FusedLoraA ? LoraParameterNames.FusedGroup(Targets, target) : target;

    /// <summary>
    /// A fingerprint of the base checkpoint (hex SHA-256 prefix over its text configuration and a sample of its
    /// weights): adapters made for another base model carry another one.
    /// </summary>
    [JsonPropertyName("base_model_fingerprint")] public string? BaseModelFingerprint { get; set; }

    /// <summary>
    /// The fingerprint folded to a positive 31-bit number: written as the <c>model_version</c> of converted
    /// <c>.onnx_adapter</c> files (0 there means unknown and is not checked).
    /// </summary>
    [JsonPropertyName("model_version")] public int ModelVersion { get; set; }

    /// <summary>
    /// The same decoder without the LoRA branches (e.g. <c>decoder_base.onnx</c>, on the same weights file), which the
    /// engine runs when no adapter is active so that the LoRA inputs cost nothing then; null when the folder has only
    /// the decoder named in <c>genai_config.json</c>.
    /// </summary>
    [JsonPropertyName("base_decoder")] public string? BaseDecoder { get; set; }

    /// <summary>The weights both decoders share (see <see cref="SharedWeightsSection"/>); null without a base decoder.</summary>
    [JsonPropertyName("shared_weights")]
    public SharedWeightsSection? SharedWeights { get; set; }

    /// <summary>The targets as flags.</summary>
    [JsonIgnore]
    public LoraTargets Targets
    {
        get
        {
            LoraTargets result = LoraTargets.None;
            foreach (string module in TargetModules)
            {
                result |= ParseTarget(module);
            }

            return result;
        }
    }

    /// <summary>Reads <c>andes_lora.json</c> from a model folder; null when the folder has none (a model without LoRA inputs).</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <exception cref="ModelConfigurationException">The file exists but is invalid (the message names the field).</exception>
    public static LoraModelManifest? TryLoad(string modelDirectory)
    {
        string file = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(file))
        {
            return null;
        }

        LoraModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllBytes(file), Json.LoraModelManifest);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigurationException($"'{file}' is not a valid LoRA manifest: {ex.Message}", file, ex.Path, ex);
        }

        if (manifest is null)
        {
            throw new ModelConfigurationException($"'{file}' is empty.", file, null);
        }

        manifest.Validate(file);
        return manifest;
    }

    /// <summary>Writes <c>andes_lora.json</c> into a model folder.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    public void Save(string modelDirectory)
    {
        Validate(Path.Combine(modelDirectory, FileName));
        File.WriteAllText(Path.Combine(modelDirectory, FileName), JsonSerializer.Serialize(this, Json.LoraModelManifest));
    }

    /// <summary>The sizes of one targeted projection.</summary>
    /// <param name="target">One target.</param>
    /// <exception cref="KeyNotFoundException">The model has no LoRA inputs for that target.</exception>
    public LoraModuleShape GetShape(LoraTargets target) =>
        Modules.TryGetValue(LoraParameterNames.ModuleName(target), out LoraModuleShape shape)
            ? shape
            : throw new KeyNotFoundException($"The model has no LoRA inputs on '{LoraParameterNames.ModuleName(target)}' (targets: {string.Join(", ", TargetModules)}).");

    /// <summary>Parses a PEFT module name (<c>q_proj</c> ... <c>down_proj</c>) into its target.</summary>
    /// <param name="module">The module name.</param>
    /// <exception cref="ArgumentException">An unknown module name.</exception>
    public static LoraTargets ParseTarget(string module) =>
        LoraParameterNames.SingleTargets.FirstOrDefault(t => LoraParameterNames.ModuleName(t) == module) is var t && t != LoraTargets.None
            ? t
            : throw new ArgumentException($"Unknown LoRA target module '{module}'; expected one of: {string.Join(", ", LoraParameterNames.SingleTargets.Select(LoraParameterNames.ModuleName))}.", nameof(module));

    private void Validate(string file)
    {
        if (FormatVersion != CurrentFormatVersion)
        {
            throw new ModelConfigurationException($"'{file}': field 'format_version' is {FormatVersion}; this version of Andes reads {CurrentFormatVersion}.", file, "format_version");
        }

        if ((BaseDecoder is null) != (SharedWeights is null))
        {
            throw new ModelConfigurationException($"'{file}': fields 'base_decoder' and 'shared_weights' must be given together.", file, "shared_weights");
        }

        if (NumLayers <= 0)
        {
            throw new ModelConfigurationException($"'{file}': field 'num_layers' must be positive, not {NumLayers}.", file, "num_layers");
        }

        foreach (string module in TargetModules)
        {
            try
            {
                ParseTarget(module);
            }
            catch (ArgumentException ex)
            {
                throw new ModelConfigurationException($"'{file}': field 'targets': {ex.Message}", file, "targets", ex);
            }

            if (!Modules.TryGetValue(module, out LoraModuleShape shape) || shape.InFeatures <= 0 || shape.OutFeatures <= 0)
            {
                throw new ModelConfigurationException($"'{file}': field 'modules.{module}' is missing or has a non-positive size.", file, "modules." + module);
            }
        }
    }
}
