using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.Benchmarking;

/// <summary>
/// Counts the floating-point operations of the vision graph and of a prompt pass from a model folder's
/// <c>andes_conversion.json</c> (every converted tensor with its name and shape). A multiply-add counts as two.
/// </summary>
/// <remarks>
/// <para>Linears: 2 * in * out per row they are applied to: the vision trunk's 2-D weights to every patch, the connector's
/// (<c>mlp.*</c>) to every merged token, the decoder layers' to every prompt token, the lm_head to one row (the prompt
/// pass computes the logits of the last position only). The patch projection (a Conv2d weight [hidden, 3, p, p], or a
/// 2-D embeddings projection) counts as a linear over 3*p*p per patch; the position table [L, hidden] as the dense
/// [patches, L] x [L, hidden] interpolation product the graph runs.</para>
/// <para>Attention: 4 * n^2 * d per vision layer (scores and weighted values; n = the image's patches, attention is
/// per image; d = heads * head_dim, from the qkv or q_proj weight) and 2 * n * (n + 1) * d per decoder layer (causal:
/// n (n + 1) / 2 query-key pairs, each 2 d for the score and 2 d for the value; d = query heads * head_dim from
/// q_proj).</para>
/// <para>Not counted: norms, biases, activations, rotary embeddings, softmax, the embedding gather and the image-row scatter.</para>
/// </remarks>
public sealed class ModelFlopCounter
{
    /// <summary>The formulas, for output next to the figures.</summary>
    public const string Formula =
        "FLOPs (multiply-add = 2): every linear 2*in*out per row it is applied to (vision trunk: every patch; connector: every merged token; " +
        "decoder layers: every prompt token; lm_head: 1 row, the last position's logits); patch projection as a linear over 3*p*p per patch; " +
        "position table: the dense [patches, L] x [L, d] interpolation product; attention 4*n^2*d per vision layer (n = patches of the image, " +
        "d = heads*head_dim) and 2*n*(n+1)*d per decoder layer (causal; n = prompt tokens, d = query heads*head_dim). " +
        "Norms, biases, activations, rotary, softmax, the embedding gather are not counted. Shapes from andes_conversion.json.";

    private const string LanguageModelPrefix = "language_model.";
    private const string EmbeddingTableName = "language_model.model.embed_tokens.weight";

    private ModelFlopCounter(string source) => Source = source;

    /// <summary>The file (or description) the tensors came from.</summary>
    public string Source { get; }

    /// <summary>in * out of the patch projection (3*p*p * vision hidden); 0 without a vision tower.</summary>
    public long PatchEmbeddingWeights { get; private set; }

    /// <summary>L * vision hidden of the position table; 0 when the tower has none.</summary>
    public long PositionTableWeights { get; private set; }

    /// <summary>The sum of in * out over the vision trunk's linears.</summary>
    public long TrunkLinearWeights { get; private set; }

    /// <summary>The vision layers (one qkv or q_proj weight each).</summary>
    public int VisionLayers { get; private set; }

    /// <summary>The vision attention width d (heads * head_dim).</summary>
    public int VisionAttentionWidth { get; private set; }

    /// <summary>The sum of in * out over the connector's linears.</summary>
    public long ConnectorWeights { get; private set; }

    /// <summary>The sum of in * out over the decoder layers' linears.</summary>
    public long DecoderLinearWeights { get; private set; }

    /// <summary>The decoder layers (one q_proj weight each).</summary>
    public int DecoderLayers { get; private set; }

    /// <summary>The decoder's query width d (query heads * head_dim).</summary>
    public int DecoderAttentionWidth { get; private set; }

    /// <summary>vocabulary * hidden of the lm_head (the embedding table's when no lm_head is listed: tied).</summary>
    public long LmHeadWeights { get; private set; }

    /// <summary>Whether the folder has a vision tower.</summary>
    public bool HasVision => PatchEmbeddingWeights > 0;

    /// <summary>
    /// The stored bytes of the language model's tensors that every decoded token reads (all of them but the token
    /// embedding table, from which one row is gathered), from the conversion log's <c>bytes</c> fields; 0 when absent.
    /// </summary>
    public long DecoderBytesPerToken { get; private set; }

    /// <summary>Counts from the conversion log of a model folder (<see cref="ConversionLog"/>).</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="FileNotFoundException">The folder has no <c>andes_conversion.json</c>.</exception>
    /// <exception cref="ModelConfigurationException">The file is not JSON, or a tensor entry lacks its name or shape (the message names the entry).</exception>
    public static ModelFlopCounter Load(string modelDirectory)
    {
        ConversionLog log = ConversionLog.Read(modelDirectory);
        ModelFlopCounter counter = FromTensors(log.Tensors.Select(t => (t.Name, t.Shape.ToArray())), log.FilePath);
        counter.DecoderBytesPerToken = log.Tensors
            .Where(t => t.Name.StartsWith(LanguageModelPrefix, StringComparison.Ordinal) && t.Name != EmbeddingTableName)
            .Sum(t => t.Bytes ?? 0);
        return counter;
    }

    /// <summary>Builds a counter from tensor names and shapes (as listed in <c>andes_conversion.json</c>).</summary>
    /// <param name="tensors">The tensors.</param>
    /// <param name="source">Where they came from, for messages.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ModelConfigurationException">A vision attention weight has an impossible shape, or the decoder has no layers.</exception>
    public static ModelFlopCounter FromTensors(IEnumerable<(string Name, long[] Shape)> tensors, string source)
    {
        var counter = new ModelFlopCounter(source);
        long embedding = 0;
        foreach ((string name, long[] shape) in tensors)
        {
            long product = shape.Aggregate(1L, (a, b) => checked(a * b));
            if (name.StartsWith("vision_encoder.", StringComparison.Ordinal))
            {
                if (name.Contains("pos_embed", StringComparison.Ordinal))
                {
                    counter.PositionTableWeights += product; // [1, L, d] or [L, d]
                }
                else if (shape.Length == 4 || (shape.Length == 2 && (name.Contains(".patchifier.", StringComparison.Ordinal) || name.Contains(".embeddings.", StringComparison.Ordinal))))
                {
                    counter.PatchEmbeddingWeights += product; // Conv2d [d, 3, p, p] (or a linear [d, 3p^2]) applied once per patch
                }
                else if (shape.Length == 2)
                {
                    counter.TrunkLinearWeights += product;
                    if (name.EndsWith(".attn.qkv.weight", StringComparison.Ordinal))
                    {
                        counter.CountVisionLayer(name, shape[0] % 3 == 0 ? shape[0] / 3 : -1);
                    }
                    else if (name.EndsWith(".self_attn.q_proj.weight", StringComparison.Ordinal))
                    {
                        counter.CountVisionLayer(name, shape[0]);
                    }
                }
            }
            else if (name.StartsWith("mlp.", StringComparison.Ordinal) && shape.Length == 2)
            {
                counter.ConnectorWeights += product;
            }
            else if (name.StartsWith("language_model.model.layers.", StringComparison.Ordinal) && shape.Length == 2)
            {
                counter.DecoderLinearWeights += product;
                if (name.EndsWith(".self_attn.q_proj.weight", StringComparison.Ordinal))
                {
                    counter.DecoderLayers++;
                    counter.DecoderAttentionWidth = checked((int)shape[0]);
                }
            }
            else if (name == "language_model.lm_head.weight")
            {
                counter.LmHeadWeights = product;
            }
            else if (name == "language_model.model.embed_tokens.weight")
            {
                embedding = product;
            }
        }

        if (counter.DecoderLayers == 0)
        {
            throw new ModelConfigurationException(
                $"'{source}' lists no decoder layer weights (language_model.model.layers.N.self_attn.q_proj.weight); cannot count the prompt pass.", source, "tensors");
        }

        if (counter.LmHeadWeights == 0)
        {
            counter.LmHeadWeights = embedding; // tied and not listed separately
        }

        return counter;
    }

    /// <summary>Counts one image through the vision graph.</summary>
    /// <param name="patches">The image's patches (<c>ImageGeometry.PatchCount</c>).</param>
    /// <param name="tokens">The image's tokens (<c>ImageGeometry.TokenCount</c>).</param>
    /// <returns>The counts.</returns>
    /// <exception cref="NotSupportedException">The model has no vision tower.</exception>
    public VisionFlops CountVision(int patches, int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patches);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        if (!HasVision)
        {
            throw new NotSupportedException($"'{Source}' lists no vision tower tensors (vision_encoder.*), so there is no vision graph to count.");
        }

        long n = patches;
        return new VisionFlops(
            patches,
            tokens,
            PatchEmbedding: checked(2 * n * PatchEmbeddingWeights),
            PositionTable: checked(2 * n * PositionTableWeights),
            TrunkLinears: checked(2 * n * TrunkLinearWeights),
            Attention: checked(VisionLayers * 4 * n * n * VisionAttentionWidth),
            Connector: checked(2L * tokens * ConnectorWeights));
    }

    /// <summary>Counts one prompt pass over <paramref name="tokens"/> tokens with nothing cached.</summary>
    /// <param name="tokens">The prompt tokens (text and image placeholders).</param>
    /// <returns>The counts.</returns>
    public PrefillFlops CountPrefill(int tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        long n = tokens;
        return new PrefillFlops(
            tokens,
            Linears: checked(2 * n * DecoderLinearWeights),
            Attention: checked(DecoderLayers * 2 * n * (n + 1) * DecoderAttentionWidth),
            LmHead: checked(2 * LmHeadWeights));
    }

    private void CountVisionLayer(string name, long width)
    {
        if (width <= 0 || (VisionLayers > 0 && width != VisionAttentionWidth))
        {
            throw new ModelConfigurationException(
                $"'{Source}': the attention weight '{name}' gives an attention width of {width}, expected {(VisionLayers > 0 ? VisionAttentionWidth : "a positive multiple")}.", Source, name);
        }

        VisionLayers++;
        VisionAttentionWidth = checked((int)width);
    }
}
