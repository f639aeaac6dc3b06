namespace Andes.ModelBuilder;

/// <summary>
/// A named AndesVL model shape for <see cref="CheckpointGenerator"/>: <c>tiny</c> (a test model with the full
/// vocabulary), and the published sizes <c>0.6b</c>, <c>1b</c>, <c>2b</c>, <c>4b</c>.
/// </summary>
public sealed class CheckpointShape
{
    private const int Vocabulary = 151936;

    private readonly Func<AndesVLConfig> _createConfig;

    private CheckpointShape(string name, string description, Func<AndesVLConfig> createConfig)
    {
        Name = name;
        Description = description;
        _createConfig = createConfig;
    }

    /// <summary>
    /// A test model: Qwen3 hidden 64, intermediate 128, 2 layers, 4 heads, 2 key/value heads, head_dim 32, the full
    /// 151936 vocabulary, 4096 positions; AIMv2 tower hidden 64, intermediate 96, 2 layers, 2 heads, patch 14, image 56.
    /// </summary>
    public static CheckpointShape Tiny { get; } = new(
        "tiny",
        "test model: Qwen3 64/128/2 layers, AIMv2 64/96/2 layers",
        () => Create("andesvl-aimv2-qwen3", Text(64, 128, 2, 4, 2, 32, 4096), AimV2(64, 96, 2, 2, imageSize: 56, minPixels: 56 * 56, maxPixels: 448 * 448)));

    /// <summary>AndesVL-0.6B: SigLIP2-Base (patch 16) on Qwen3-0.6B.</summary>
    public static CheckpointShape Andes0_6B { get; } = new(
        "0.6b",
        "AndesVL-0.6B: SigLIP2-Base + Qwen3-0.6B",
        () => Create("andesvl-siglip2-qwen3", Text(1024, 3072, 28, 16, 8, 128, 40960), SigLip2Base()));

    /// <summary>AndesVL-1B: AIMv2-Large on Qwen3-0.6B.</summary>
    public static CheckpointShape Andes1B { get; } = new(
        "1b",
        "AndesVL-1B: AIMv2-Large + Qwen3-0.6B",
        () => Create("andesvl-aimv2-qwen3", Text(1024, 3072, 28, 16, 8, 128, 40960), AimV2Large()));

    /// <summary>AndesVL-2B: AIMv2-Large on Qwen3-1.7B.</summary>
    public static CheckpointShape Andes2B { get; } = new(
        "2b",
        "AndesVL-2B: AIMv2-Large + Qwen3-1.7B",
        () => Create("andesvl-aimv2-qwen3", Text(2048, 6144, 28, 16, 8, 128, 40960), AimV2Large()));

    /// <summary>AndesVL-4B: AIMv2-Large on Qwen3-4B.</summary>
    public static CheckpointShape Andes4B { get; } = new(
        "4b",
        "AndesVL-4B: AIMv2-Large + Qwen3-4B",
        () => Create("andesvl-aimv2-qwen3", Text(2560, 9728, 36, 32, 8, 128, 40960), AimV2Large()));

    /// <summary>Every shape, smallest first.</summary>
    public static IReadOnlyList<CheckpointShape> All { get; } = [Tiny, Andes0_6B, Andes1B, Andes2B, Andes4B];

    /// <summary>The shape's name: <c>tiny</c>, <c>0.6b</c>, <c>1b</c>, <c>2b</c> or <c>4b</c>.</summary>
    public string Name { get; }

    /// <summary>A one-line description.</summary>
    public string Description { get; }

    /// <summary>Parses a shape name (case-insensitive): <c>tiny</c>, <c>0.6b</c>, <c>1b</c>, <c>2b</c> or <c>4b</c>.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static CheckpointShape Parse(string name) =>
        TryParse(name, out CheckpointShape? shape)
            ? shape
            : throw new ArgumentException(
                $"Unknown checkpoint shape '{name}'. Expected one of: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    /// <summary>Parses a shape name (case-insensitive, surrounding spaces ignored).</summary>
    /// <param name="name">The name.</param>
    /// <param name="shape">The shape when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CheckpointShape? shape)
    {
        string key = (name ?? string.Empty).Trim();
        shape = All.FirstOrDefault(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase));
        return shape is not null;
    }

    /// <summary>Creates this shape's <c>config.json</c> content (a new, independent object each call).</summary>
    public AndesVLConfig CreateConfig() => _createConfig();

    /// <inheritdoc />
    public override string ToString() => Name;

    private static AndesVLConfig Create(string modelType, Qwen3TextConfig text, AndesVisionConfig vision) => new()
    {
        Architectures = ["AndesVLForConditionalGeneration"],
        ModelType = modelType,
        TorchDtype = "bfloat16",
        TextConfig = text,
        VisionConfig = vision,
    };

    private static Qwen3TextConfig Text(int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim, int maxPositions) => new()
    {
        ModelType = "qwen3",
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = kvHeads,
        HeadDim = headDim,
        VocabSize = Vocabulary,
        RmsNormEps = 1e-6,
        RopeTheta = 1_000_000,
        MaxPositionEmbeddings = maxPositions,
        TieWordEmbeddings = true,
        BosTokenId = 151643,
        EosTokenId = 151645,
        HiddenAct = "silu",
        TorchDtype = "bfloat16",
    };

    private static AndesVisionConfig AimV2Large() =>
        AimV2(1024, 2816, 24, 8, imageSize: 448, minPixels: 200704, maxPixels: 2408448);

    private static AndesVisionConfig AimV2(int hidden, int intermediate, int layers, int heads, int imageSize, long minPixels, long maxPixels) => new()
    {
        ModelType = "aimv2",
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumChannels = 3,
        PatchSize = 14,
        ImageSize = imageSize,
        RmsNormEps = 1e-5,
        QkvBias = false,
        UseBias = false,
        HiddenStride = 2,
        WindowSize = 112,
        TemporalPatchSize = 1,
        InterpolatePeMethod = "two_dim",
        PreserveOriginalPe = true,
        DisableRope = false,
        FullAttBlockIndexes = null,
        MinPixels = minPixels,
        MaxPixels = maxPixels,
    };

    // SigLIP2-Base patch 16 (naflex: a 16 x 16 position grid, LayerNorm eps 1e-6). The AndesVL-0.6B vision_config is
    // not among the published files we have: these numbers are SigLIP2-Base's, not confirmed from that checkpoint.
    private static AndesVisionConfig SigLip2Base() => new()
    {
        ModelType = "siglip2_vision_model",
        HiddenSize = 768,
        IntermediateSize = 3072,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        NumChannels = 3,
        PatchSize = 16,
        ImageSize = 256,
        RmsNormEps = 1e-6,
        LayerNormEps = 1e-6,
        HiddenAct = "gelu_pytorch_tanh",
        QkvBias = true,
        UseBias = true,
        HiddenStride = 2,
        WindowSize = 112,
        TemporalPatchSize = 1,
        InterpolatePeMethod = "two_dim",
        PreserveOriginalPe = true,
        DisableRope = false,
        FullAttBlockIndexes = null,
        MinPixels = 200704,
        MaxPixels = 2408448,
    };
}
