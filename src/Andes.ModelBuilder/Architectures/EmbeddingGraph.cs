using System.Buffers;
using System.Runtime.InteropServices;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes <c>embedding.onnx</c>: <c>input_ids</c> [batch, seq] int64 to <c>inputs_embeds</c> [batch, seq, H] float,
/// a Gather over the token embedding table (stored as float32 or float16). For a vision model it also takes
/// <c>image_features</c> [num_image_tokens, H] and writes its rows, in order, over the positions holding
/// <c>&lt;|vision_pad|&gt;</c> (151654), counted row-major over the batch; a text-only call passes an empty [0, H].
/// </summary>
/// <remarks>
/// The scatter is a gather: the running count of pad tokens indexes the feature rows (with one zero row appended,
/// which every non-pad position reads), and a Where keeps the token embedding elsewhere. Fewer pads than rows leaves
/// the extra rows unused; more pads than rows is an index error from ONNX Runtime.
/// </remarks>
internal sealed class EmbeddingGraph
{
    public const string InputIds = "input_ids";
    public const string InputsEmbeds = "inputs_embeds";
    public const string ImageFeatures = "image_features";

    /// <summary><c>&lt;|vision_pad|&gt;</c>: the image placeholder token.</summary>
    public const int ImageTokenId = 151654;

    private const int RowsPerChunk = 1024;

    private readonly Qwen3TextConfig _config;
    private readonly ConversionContext _context;
    private readonly bool _withImageFeatures;

    public EmbeddingGraph(Qwen3TextConfig config, ConversionContext context, bool withImageFeatures = false)
    {
        _config = config;
        _context = context;
        _withImageFeatures = withImageFeatures;
    }

    public void Build(OnnxGraphBuilder g)
    {
        string ids = g.Input(InputIds, OnnxDataType.Int64, "batch_size", "sequence_length");
        g.Output(InputsEmbeds, OnnxDataType.Float, "batch_size", "sequence_length", _config.HiddenSize);
        if (!_withImageFeatures)
        {
            EmitLookup(g, ids, InputsEmbeds);
            return;
        }

        string tokens = EmitLookup(g, ids, "token_embeds");
        ScatterImageFeatures(g, ids, tokens, _config.HiddenSize);
    }

    /// <summary>Writes the embedding table and the lookup of <paramref name="ids"/>; returns the embeddings [batch, seq, H].</summary>
    public string EmitLookup(OnnxGraphBuilder g, string ids, string outputName)
    {
        int vocab = _config.VocabSize, h = _config.HiddenSize;
        WeightPrecision precision = _context.Options.EffectiveEmbeddingPrecision;
        int dataType = precision == WeightPrecision.Float16 ? OnnxDataType.Float16 : OnnxDataType.Float;
        string name = Qwen3TensorNames.EmbedTokens;
        _context.Source.GetInfo(name); // fails early, naming the tensor, when it is missing
        double maxErr = 0, sumErr = 0;
        string table = g.StreamedInitializer("embed_tokens", dataType, [vocab, h], sink =>
        {
            float[] rows = ArrayPool<float>.Shared.Rent(RowsPerChunk * h);
            Half[] half = ArrayPool<Half>.Shared.Rent(RowsPerChunk * h);
            try
            {
                for (int r0 = 0; r0 < vocab; r0 += RowsPerChunk)
                {
                    _context.CancellationToken.ThrowIfCancellationRequested();
                    int count = Math.Min(RowsPerChunk, vocab - r0) * h;
                    Span<float> chunk = rows.AsSpan(0, count);
                    _context.Source.ReadFloat32(name, (long)r0 * h, chunk);
                    if (dataType == OnnxDataType.Float)
                    {
                        sink(MemoryMarshal.AsBytes((ReadOnlySpan<float>)chunk));
                        continue;
                    }

                    Span<Half> halves = half.AsSpan(0, count);
                    for (int i = 0; i < count; i++)
                    {
                        halves[i] = (Half)chunk[i];
                        double err = Math.Abs((double)(float)halves[i] - chunk[i]);
                        sumErr += err;
                        maxErr = Math.Max(maxErr, err);
                    }

                    sink(MemoryMarshal.AsBytes((ReadOnlySpan<Half>)halves));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rows);
                ArrayPool<Half>.Shared.Return(half);
            }
        });

        long bytes = (long)vocab * h * OnnxDataType.SizeOf(dataType);
        _context.Record(new TensorConversionRecord(name, [vocab, h], precision, bytes, maxErr, sumErr / ((double)vocab * h)));
        if (dataType == OnnxDataType.Float)
        {
            return g.Node("Gather", [table, ids], outputName, "", ("axis", 0));
        }

        string gathered = g.Node("Gather", [table, ids], "embeds_f16", "", ("axis", 0));
        return g.Node("Cast", [gathered], outputName, "", ("to", OnnxDataType.Float));
    }

    private static void ScatterImageFeatures(OnnxGraphBuilder g, string ids, string tokens, int h)
    {
        string features = g.Input(ImageFeatures, OnnxDataType.Float, "num_image_tokens", h);
        string isPad = g.Node("Equal", [ids, g.Scalar("image.pad_id", ImageTokenId)], "image.is_pad");
        string flatPad = g.Node("Reshape", [isPad, g.Vector("image.flat", -1)], "image.is_pad_flat");
        string count = g.Node("CumSum", [g.Node("Cast", [flatPad], "image.is_pad_i64", "", ("to", OnnxDataType.Int64)), g.Scalar("image.scan_axis", 0)], "image.pad_count");
        string row = g.Node("Sub", [count, g.Scalar("image.one", 1)], "image.row");
        string rowCount = g.Node("Gather", [g.Node("Shape", [features], "image.features_shape"), g.Scalar("image.zero", 0)], "image.row_count", "", ("axis", 0));
        string index = g.Node("Where", [flatPad, row, rowCount], "image.row_or_zero");
        string padded = g.Node("Concat", [features, g.Initializer("image.zero_row", new float[h], 1, h)], "image.features_padded", "", ("axis", 0));
        string gathered = g.Node("Gather", [padded, g.Node("Reshape", [index, g.Node("Shape", [ids], "image.ids_shape")], "image.row_index")], "image.rows", "", ("axis", 0));
        string mask = g.Node("Unsqueeze", [isPad, g.Vector("image.last_axis", 2)], "image.mask");
        g.Node("Where", [mask, gathered, tokens], InputsEmbeds);
    }
}
