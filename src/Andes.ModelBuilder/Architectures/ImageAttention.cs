using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Attention that never crosses from one image to another: an ONNX <c>Loop</c> over the images whose body slices the
/// image's rows of q, k and v and runs <c>MultiHeadAttention</c> (com.microsoft) on them alone. Without a mask the CPU
/// kernel takes its flash-attention path, so memory stays linear in the patch count (no N x N score matrix).
/// </summary>
internal static class ImageAttention
{
    /// <summary>Emits the attention of q, k, v [1, N, hidden]; returns [1, N, hidden].</summary>
    /// <param name="g">The graph.</param>
    /// <param name="q">Queries (already rotated).</param>
    /// <param name="k">Keys (already rotated).</param>
    /// <param name="v">Values.</param>
    /// <param name="grid">The per-image patch ranges.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="hidden">heads * head_dim.</param>
    /// <param name="prefix">A unique name prefix (e.g. <c>blocks.3.attn</c>).</param>
    public static string Emit(OnnxGraphBuilder g, string q, string k, string v, VisionPatchGrid grid, int heads, int hidden, string prefix)
    {
        string empty = Shared(g, $"attention.empty_rows_{hidden}", n => g.Initializer(n, ReadOnlySpan<float>.Empty, 1, 0, hidden));
        string axis = Shared(g, "attention.seq_axis", n => g.Vector(n, 1));
        OnnxGraphBuilder body = g.CreateSubgraph(prefix + ".per_image");
        string iteration = body.Input(prefix + ".image", OnnxDataType.Int64);
        string condIn = body.Input(prefix + ".cond_in", OnnxDataType.Bool);
        string accIn = body.Input(prefix + ".acc_in", OnnxDataType.Float, 1, prefix + ".acc_in_len", hidden);
        body.Output(prefix + ".cond_out", OnnxDataType.Bool);
        body.Output(prefix + ".acc_out", OnnxDataType.Float, 1, prefix + ".acc_out_len", hidden);

        string start = body.Node("Gather", [grid.SegmentStarts, iteration], prefix + ".start", "", ("axis", 0));
        string end = body.Node("Gather", [grid.SegmentEnds, iteration], prefix + ".end", "", ("axis", 0));
        string qi = body.Node("Slice", [q, start, end, axis], prefix + ".q_image");
        string ki = body.Node("Slice", [k, start, end, axis], prefix + ".k_image");
        string vi = body.Node("Slice", [v, start, end, axis], prefix + ".v_image");
        string attended = body.Node("MultiHeadAttention", [qi, ki, vi], prefix + ".image_out", "com.microsoft", ("num_heads", heads));
        body.Node("Concat", [accIn, attended], prefix + ".acc_out", "", ("axis", 1));
        body.Node("Identity", [condIn], prefix + ".cond_out");

        return g.Node("Loop", [grid.ImageCount, string.Empty, empty], prefix, "", ("body", body.ToGraphProto()));
    }

    private static string Shared(OnnxGraphBuilder g, string name, Func<string, string> create) => g.HasName(name) ? name : create(name);
}
