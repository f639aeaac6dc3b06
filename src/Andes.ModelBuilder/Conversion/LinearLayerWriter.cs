using System.Buffers;
using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Writes one PyTorch linear layer (weight W [N, K], y = x W^T) into a graph: a MatMul on the transposed float weight,
/// or a MatMulNBits on block-quantised weights streamed row-chunk by row-chunk. The single place where linears are
/// emitted, so LoRA inputs can be attached here.
/// </summary>
internal sealed partial class LinearLayerWriter
{
    private readonly ConversionContext _context;

    public LinearLayerWriter(ConversionContext context) => _context = context;

    /// <summary>
    /// Whether the activations are 2-D [tokens, features]: each LoRA branch then ends in one Gemm(x A, B, C = x W^T)
    /// instead of a MatMul and an Add.
    /// </summary>
    public bool Flat { get; set; }

    /// <summary>Emits <paramref name="input"/> x W^T and returns the output name.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="input">The activation [.., K].</param>
    /// <param name="weightName">The checkpoint tensor W [N, K].</param>
    /// <param name="outFeatures">N.</param>
    /// <param name="inFeatures">K.</param>
    /// <param name="precision">How to store W.</param>
    /// <param name="outputName">The output's name.</param>
    /// <param name="recordAs">The name to log the tensor under (e.g. lm_head when tied to the embedding).</param>
    /// <param name="lora">The decoder layer and projection this linear is, when it may take LoRA inputs; it gets them when
    /// <see cref="ModelConversionOptions.LoraTargets"/> includes the projection.</param>
    public string Emit(OnnxGraphBuilder g, string input, string weightName, int outFeatures, int inFeatures, WeightPrecision precision, string outputName, string? recordAs = null, (int Layer, LoraTargets Target)? lora = null)
    {
        string logName = recordAs ?? weightName;
        string initializerName = (recordAs ?? weightName).Replace(".weight", string.Empty, StringComparison.Ordinal);
        bool adapted = lora is { } site && (_context.Options.LoraTargets & site.Target) != 0;
        string baseOutput = adapted ? outputName + "_base" : outputName;
        string y = precision switch
        {
            WeightPrecision.Float32 => EmitFloat(g, input, weightName, outFeatures, inFeatures, baseOutput, logName, initializerName),
            WeightPrecision.Int4 => EmitQuantized(g, input, weightName, outFeatures, inFeatures, 4, baseOutput, logName, initializerName),
            WeightPrecision.Int8 => EmitQuantized(g, input, weightName, outFeatures, inFeatures, 8, baseOutput, logName, initializerName),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Linear '{weightName}' cannot be stored as {precision}."),
        };
        return adapted ? EmitLoraBranch(g, input, y, inFeatures, outFeatures, lora!.Value.Layer, lora.Value.Target, outputName) : y;
    }

    /// <summary>
    /// Emits several linears that read the same activation (q/k/v, or gate/up of one layer). Their LoRA branches, when
    /// two or more are targeted and <see cref="ModelConversionOptions.FuseLoraA"/> is set, share one A input
    /// [K, members * r]: one MatMul, a Split into equal parts, then each member's MatMul with its own B and the Add.
    /// </summary>
    /// <returns>The outputs, in the order of <paramref name="linears"/>.</returns>
    public string[] EmitShared(OnnxGraphBuilder g, string input, int inFeatures, int layer, WeightPrecision precision, IReadOnlyList<(LoraTargets Target, string WeightName, int OutFeatures, string OutputName)> linears)
    {
        LoraTargets targeted = LoraTargets.None;
        foreach ((LoraTargets target, _, _, _) in linears)
        {
            targeted |= target & _context.Options.LoraTargets;
        }

        IReadOnlyList<LoraTargets> members = LoraParameterNames.Members(targeted);
        if (!_context.Options.FuseLoraA || members.Count < 2)
        {
            return linears.Select(l => Emit(g, input, l.WeightName, l.OutFeatures, inFeatures, precision, l.OutputName, lora: (layer, l.Target))).ToArray();
        }

        var outputs = new string[linears.Count];
        var bases = new Dictionary<LoraTargets, (string Base, int N, string Output)>();
        for (int i = 0; i < linears.Count; i++)
        {
            (LoraTargets target, string weightName, int n, string outputName) = linears[i];
            bool adapted = (targeted & target) != 0;
            outputs[i] = Emit(g, input, weightName, n, inFeatures, precision, adapted ? outputName + "_base" : outputName);
            if (adapted)
            {
                bases[target] = (outputs[i], n, outputName);
            }
        }

        // The built-in defaults have rank 1 per member, all zeros (Split cannot cut a 0-wide tensor into parts): the
        // branch adds exact zeros until an adapter is active.
        string a = g.Initializer(LoraParameterNames.GroupA(layer, targeted), new float[inFeatures * members.Count], inFeatures, members.Count);
        g.ExposeInitializerAsInput(a, OnnxDataType.Float, inFeatures, LoraParameterNames.GroupRankDimension(layer, targeted));
        string prefix = $"layers.{layer}.{LoraParameterNames.GroupModuleName(targeted)}";
        string xa = g.Node("MatMul", [input, a], prefix + "_lora_a");
        string[] parts = g.Node("Split", [xa], members.Select(m => prefix + "_lora_a_" + LoraParameterNames.ModuleName(m)).ToArray(), "", ("axis", -1L), ("num_outputs", (long)members.Count));
        for (int j = 0; j < members.Count; j++)
        {
            (string baseOutput, int n, string outputName) = bases[members[j]];
            string b = g.Initializer(LoraParameterNames.B(layer, members[j]), new float[n], 1, n);
            g.ExposeInitializerAsInput(b, OnnxDataType.Float, LoraParameterNames.RankDimension(layer, members[j]), n);
            (string output, string[] nodes) = AddProduct(g, parts[j], b, baseOutput, outputName);
            _context.LoraBranches.Add(new LoraBranch(baseOutput, output, [xa, .. parts, .. nodes], a, b));
            outputs[linears.ToList().FindIndex(l => l.Target == members[j])] = output;
        }

        return outputs;
    }

    /// <summary>
    /// y + (x A) B with A [K, r] and B [r, N] overridable initializers (graph inputs whose defaults have r = 0, so the
    /// branch adds exact zeros until an adapter feeds them). The adapter's scale is already folded into its B.
    /// </summary>
    private string EmitLoraBranch(OnnxGraphBuilder g, string x, string y, int k, int n, int layer, LoraTargets target, string outputName)
    {
        int defaultRank = Flat ? 1 : 0; // Gemm with an empty inner dimension is avoided: rank-1 zeros add exact zeros too
        string a = g.Initializer(LoraParameterNames.A(layer, target), new float[k * defaultRank], k, defaultRank);
        g.ExposeInitializerAsInput(a, OnnxDataType.Float, k, LoraParameterNames.RankDimension(layer, target));
        string b = g.Initializer(LoraParameterNames.B(layer, target), new float[n * defaultRank], defaultRank, n);
        g.ExposeInitializerAsInput(b, OnnxDataType.Float, LoraParameterNames.RankDimension(layer, target), n);
        string xa = g.Node("MatMul", [x, a], outputName + "_lora_a");
        (string output, string[] nodes) = AddProduct(g, xa, b, y, outputName);
        _context.LoraBranches.Add(new LoraBranch(y, output, [xa, .. nodes], a, b));
        return output;
    }

    /// <summary>y + xa B: one Gemm when the activations are 2-D, else a MatMul and an Add. Returns the output and the nodes' outputs.</summary>
    private (string Output, string[] Nodes) AddProduct(OnnxGraphBuilder g, string xa, string b, string y, string outputName)
    {
        if (Flat)
        {
            string sum = g.Node("Gemm", [xa, b, y], outputName, "", ("alpha", 1f), ("beta", 1f));
            return (sum, [sum]);
        }

        string delta = g.Node("MatMul", [xa, b], outputName + "_lora_delta");
        string output = g.Node("Add", [y, delta], outputName);
        return (output, [delta, output]);
    }

    private string EmitFloat(OnnxGraphBuilder g, string input, string weightName, int n, int k, string outputName, string logName, string initializerName)
    {
        long count = (long)n * k;
        float[] w = ArrayPool<float>.Shared.Rent(checked((int)count));
        float[] t = ArrayPool<float>.Shared.Rent(checked((int)count));
        try
        {
            TensorSourceExtensions.ReadFloat32(_context.Source, weightName, w.AsSpan(0, (int)count), [n, k]);
            Transpose(w.AsSpan(0, (int)count), t.AsSpan(0, (int)count), n, k);
            string b = g.Initializer(initializerName + ".weight_t", t.AsSpan(0, (int)count), k, n);
            _context.Record(new TensorConversionRecord(logName, [n, k], WeightPrecision.Float32, count * 4, 0, 0));
            return g.Node("MatMul", [input, b], outputName);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(w);
            ArrayPool<float>.Shared.Return(t);
        }
    }

    /// <summary>Blocked transpose of a row-major [rows, cols] matrix into [cols, rows].</summary>
    internal static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols)
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(r0 + Tile, rows);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(c0 + Tile, cols);
                for (int r = r0; r < r1; r++)
                {
                    int rowBase = r * cols;
                    for (int c = c0; c < c1; c++)
                    {
                        destination[(c * rows) + r] = source[rowBase + c];
                    }
                }
            }
        }
    }
}
