using Andes.GenAI;
namespace Andes.ModelBuilder;

/// <summary>
/// Options of <see cref="ModelConverter"/>. The precision policy: <see cref="Precision"/> applies to every linear layer
/// of the decoder (q/k/v/o, gate/up/down); the lm_head follows <see cref="LmHeadPrecision"/> (by default the same as
/// the layers: it is the largest matrix and dominates decode time); the embedding table, read by a Gather, follows
/// <see cref="EmbeddingPrecision"/> (float16 by default for quantised models: a Gather reads only the rows it needs, so
/// 4-bit storage would save disk but not time); norms and the rotary caches stay float32.
/// </summary>
public sealed class ModelConversionOptions
{
    /// <summary>Precision of the decoder's linear layers. Default <see cref="WeightPrecision.Int4"/>.</summary>
    public WeightPrecision Precision { get; set; } = WeightPrecision.Int4;

    /// <summary>Precision of the lm_head; null means the same as <see cref="Precision"/>.</summary>
    public WeightPrecision? LmHeadPrecision { get; set; }

    /// <summary>Precision of the embedding table (<see cref="WeightPrecision.Float32"/> or <see cref="WeightPrecision.Float16"/>); null: float32 for a float32 model, float16 otherwise.</summary>
    public WeightPrecision? EmbeddingPrecision { get; set; }

    /// <summary>Quantisation block size along K (a power of two, 16 to 256). Default 32.</summary>
    public int BlockSize { get; set; } = 32;

    /// <summary>Symmetric quantisation (no zero points). Default true.</summary>
    public bool Symmetric { get; set; } = true;

    /// <summary>
    /// MatMulNBits <c>accuracy_level</c>: 0 unset (float compute), 1 fp32, 2 fp16, 3 bf16, 4 int8 activations (fastest on
    /// CPU, slightly less exact). Default 4.
    /// </summary>
    public int AccuracyLevel { get; set; } = 4;

    /// <summary>Context length written to <c>genai_config.json</c> and the size of the rotary caches; null: the checkpoint's <c>max_position_embeddings</c>.</summary>
    public int? ContextLength { get; set; }

    /// <summary>
    /// The projections of every decoder layer that take LoRA inputs (default <see cref="GenAI.LoraTargets.None"/>:
    /// the decoder is exactly the base model). Each targeted linear computes <c>y = x W^T + (x A) B</c> with A
    /// [in, r] and B [r, out] graph inputs named by <see cref="LoraParameterNames"/>, whose built-in defaults are zeros
    /// (the branch adds exact zeros until an adapter is active); <c>andes_lora.json</c> records the targets. In the
    /// GroupQueryAttention layout the decoder keeps its activations 2-D [tokens, hidden] so each branch ends in one Gemm
    /// (<c>(x A) B + x W^T</c>); a <c>decoder_base.onnx</c> without the branches is written beside it.
    /// </summary>
    public LoraTargets LoraTargets { get; set; }

    /// <summary>
    /// Whether targeted projections that read the same activation (the targeted ones among q/k/v, and gate/up) share
    /// one concatenated A input (<see cref="LoraParameterNames.GroupA"/>): one A product, split, then each member's B,
    /// instead of one A product per projection, which makes decode with an adapter on all seven targets measurably
    /// faster (see bench/README.md). Default true; false writes one A input per projection as earlier versions did.
    /// </summary>
    public bool FuseLoraA { get; set; } = true;

    /// <summary>The decoder's input/output layout (default: the fastest CPU layout).</summary>
    public DecoderLayout Layout { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether an existing, non-empty output folder is replaced. Default:
    /// <see langword="false"/> (refused with <see cref="ModelFolderExistsException"/>). Either way the conversion is
    /// written beside the output folder and moved into place only when complete, so the old model stays intact (and
    /// loadable) until the new one exists; files the converter does not write (skills, adapters) are carried over.
    /// </summary>
    public bool Overwrite { get; set; }

    /// <summary>Creates a copy.</summary>
    public ModelConversionOptions Clone()
    {
        var copy = (ModelConversionOptions)MemberwiseClone();
        copy.Layout = Layout.Clone();
        return copy;
    }

    internal WeightPrecision EffectiveLmHeadPrecision => LmHeadPrecision ?? Precision;

    internal WeightPrecision EffectiveEmbeddingPrecision => EmbeddingPrecision ?? (Precision == WeightPrecision.Float32 ? WeightPrecision.Float32 : WeightPrecision.Float16);

    internal void Validate()
    {
        if (Precision == WeightPrecision.Float16)
        {
            throw new ArgumentException("Precision Float16 is not supported for linear layers; use Float32, Int8 or Int4.", nameof(Precision));
        }

        if (EffectiveLmHeadPrecision == WeightPrecision.Float16)
        {
            throw new ArgumentException("LmHeadPrecision Float16 is not supported; use Float32, Int8 or Int4.", nameof(LmHeadPrecision));
        }

        if (EffectiveEmbeddingPrecision is not (WeightPrecision.Float32 or WeightPrecision.Float16))
        {
            throw new ArgumentException($"EmbeddingPrecision must be Float32 or Float16, not {EmbeddingPrecision}.", nameof(EmbeddingPrecision));
        }

        if (BlockSize < 16 || BlockSize > 256 || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new ArgumentException($"BlockSize must be a power of two from 16 to 256, not {BlockSize}.", nameof(BlockSize));
        }

        if (AccuracyLevel is < 0 or > 4)
        {
            throw new ArgumentException($"AccuracyLevel must be 0 to 4, not {AccuracyLevel}.", nameof(AccuracyLevel));
        }

        if ((LoraTargets & ~LoraTargets.All) != 0)
        {
            throw new ArgumentException($"LoraTargets has unknown flags ({LoraTargets}).", nameof(LoraTargets));
        }

        if (ContextLength is <= 0)
        {
            throw new ArgumentException($"ContextLength must be positive, not {ContextLength}.", nameof(ContextLength));
        }
    }
}
