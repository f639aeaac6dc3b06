using System.Buffers;
using System.Runtime.InteropServices;
using Andes.ModelBuilder.Checkpoints;
using Andes.ModelBuilder.Conversion;
using Andes.ModelBuilder.Onnx;

namespace Andes.ModelBuilder.Architectures;

/// <summary>
/// Writes <c>embedding.onnx</c>: <c>input_ids</c> [batch, seq] int64 to <c>inputs_embeds</c> [batch, seq, H] float,
/// a Gather over the token embedding table (stored as float32 or float16).
/// </summary>
internal sealed class EmbeddingGraph
{
    public const string InputIds = "input_ids";
    public const string InputsEmbeds = "inputs_embeds";
    private const int RowsPerChunk = 1024;

    private readonly Qwen3TextConfig _config;
    private readonly ConversionContext _context;

    public EmbeddingGraph(Qwen3TextConfig config, ConversionContext context)
    {
        _config = config;
        _context = context;
    }

    public void Build(OnnxGraphBuilder g)
    {
        string ids = g.Input(InputIds, OnnxDataType.Int64, "batch_size", "sequence_length");
        g.Output(InputsEmbeds, OnnxDataType.Float, "batch_size", "sequence_length", _config.HiddenSize);
        EmitLookup(g, ids, InputsEmbeds);
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
}
