using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Per-patch bookkeeping computed inside the vision graph from <c>image_grid_thw</c>, so that one graph serves any
/// number of images of any (even) grid: for patch n (in the concatenated 2x2-group order) its row and column in its
/// image and its image's grid, plus each image's patch range for the per-image attention.
/// </summary>
/// <param name="Row">Row of each patch, float [N].</param>
/// <param name="Col">Column of each patch, float [N].</param>
/// <param name="RowIndex">Row of each patch, int64 [N].</param>
/// <param name="ColIndex">Column of each patch, int64 [N].</param>
/// <param name="ImageRows">Rows of each patch's image, float [N].</param>
/// <param name="ImageCols">Columns of each patch's image, float [N].</param>
/// <param name="ImageColIndex">Columns of each patch's image, int64 [N].</param>
/// <param name="SegmentStarts">First patch of each image, int64 [M, 1].</param>
/// <param name="SegmentEnds">One past the last patch of each image, int64 [M, 1].</param>
/// <param name="ImageCount">M, int64 scalar.</param>
internal sealed record VisionPatchGrid(
    string Row,
    string Col,
    string RowIndex,
    string ColIndex,
    string ImageRows,
    string ImageCols,
    string ImageColIndex,
    string SegmentStarts,
    string SegmentEnds,
    string ImageCount)
{
    /// <summary>Emits the bookkeeping for patches <paramref name="pixelValues"/> [N, ..] and grids <paramref name="gridThw"/> [M, 3].</summary>
    /// <param name="g">The graph.</param>
    /// <param name="pixelValues">The patch matrix (only its row count is used).</param>
    /// <param name="gridThw">The per-image grid (t, rows, cols); t must be 1.</param>
    /// <param name="merge">The spatial merge size (2: 2x2 groups).</param>
    public static VisionPatchGrid Emit(OnnxGraphBuilder g, string pixelValues, string gridThw, int merge)
    {
        const string P = "grid.";
        string axis0 = g.Vector(P + "axis0", 0);
        string axis1 = g.Vector(P + "axis1", 1);
        string s0 = g.Scalar(P + "zero", 0);
        string s1 = g.Scalar(P + "one", 1);
        string s2 = g.Scalar(P + "two", 2);
        string mergeC = g.Scalar(P + "merge", merge);
        string groupC = g.Scalar(P + "group", (long)merge * merge);

        string t = g.Node("Gather", [gridThw, s0], P + "t", "", ("axis", 1));
        string h = g.Node("Gather", [gridThw, s1], P + "h", "", ("axis", 1));
        string w = g.Node("Gather", [gridThw, s2], P + "w", "", ("axis", 1));
        string count = g.Node("Mul", [g.Node("Mul", [t, h], P + "th"), w], P + "count");
        string ends = g.Node("CumSum", [count, s0], P + "ends");
        string starts = g.Node("Sub", [ends, count], P + "starts");
        string imageCount = g.Node("Gather", [g.Node("Shape", [gridThw], P + "grid_shape"), s0], P + "image_count", "", ("axis", 0));

        // Patch n belongs to the image whose range holds it: the number of image ends <= n.
        string n = g.Node("Gather", [g.Node("Shape", [pixelValues], P + "pixel_shape"), s0], P + "patch_count", "", ("axis", 0));
        string index = g.Node("Range", [s0, n, s1], P + "patch_index");
        string before = g.Node("Not", [g.Node("Less", [g.Node("Unsqueeze", [index, axis1], P + "patch_index_col"), g.Node("Unsqueeze", [ends, axis0], P + "ends_row")], P + "inside")], P + "past_end");
        string image = g.Node("ReduceSum", [g.Node("Cast", [before], P + "past_end_i64", "", ("to", OnnxDataType.Int64)), axis1], P + "image", "", ("keepdims", 0));

        string local = g.Node("Sub", [index, g.Node("Gather", [starts, image], P + "patch_start", "", ("axis", 0))], P + "local");
        string rows = g.Node("Gather", [h, image], P + "image_rows_i64", "", ("axis", 0));
        string cols = g.Node("Gather", [w, image], P + "image_cols_i64", "", ("axis", 0));

        // 2x2-group order: groups row-major over (rows/merge, cols/merge), patches row-major inside a group.
        string group = g.Node("Div", [local, groupC], P + "group_index");
        string within = g.Node("Mod", [local, groupC], P + "within_group");
        string groupsPerRow = g.Node("Div", [cols, mergeC], P + "groups_per_row");
        string groupRow = g.Node("Div", [group, groupsPerRow], P + "group_row");
        string groupCol = g.Node("Mod", [group, groupsPerRow], P + "group_col");
        string row = g.Node("Add", [g.Node("Mul", [groupRow, mergeC], P + "group_row_base"), g.Node("Div", [within, mergeC], P + "row_in_group")], P + "row_i64");
        string col = g.Node("Add", [g.Node("Mul", [groupCol, mergeC], P + "group_col_base"), g.Node("Mod", [within, mergeC], P + "col_in_group")], P + "col_i64");

        return new VisionPatchGrid(
            ToFloat(g, row, P + "row"),
            ToFloat(g, col, P + "col"),
            row,
            col,
            ToFloat(g, rows, P + "image_rows"),
            ToFloat(g, cols, P + "image_cols"),
            cols,
            g.Node("Unsqueeze", [starts, axis1], P + "segment_starts"),
            g.Node("Unsqueeze", [ends, axis1], P + "segment_ends"),
            imageCount);
    }

    private static string ToFloat(OnnxGraphBuilder g, string x, string name) => g.Node("Cast", [x], name, "", ("to", OnnxDataType.Float));
}
