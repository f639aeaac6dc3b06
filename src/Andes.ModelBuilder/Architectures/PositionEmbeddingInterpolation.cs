using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Emits a vision tower's absolute position embedding for every patch: the square table (side g) resized to each
/// image's patch grid and read at each patch's (row, col). Written as one matrix product: per patch a weight row over
/// the g*g table positions (sparse in fact: 16 taps for bicubic, 2 for linear), so images of different grids share
/// one graph and the 2x2-group order needs no reordering step.
/// </summary>
/// <remarks>
/// Bicubic follows PyTorch's <c>F.interpolate(mode='bicubic', align_corners=False)</c> (and equally
/// <c>grid_sample(mode='bicubic', align_corners=False, padding_mode='border')</c> at patch centres): source coordinate
/// (i + 0.5) * g / n - 0.5, four taps at floor - 1 .. floor + 2 clamped to the table, Keys' cubic convolution with
/// a = -0.75, no antialiasing. Linear follows <c>F.interpolate(mode='linear', align_corners=False)</c> over the
/// flattened table (AIMv2's <c>one_dim</c>): source index clamped at 0, the second tap clamped to the end.
/// </remarks>
internal static class PositionEmbeddingInterpolation
{
    /// <summary>The cubic convolution coefficient PyTorch uses.</summary>
    public const double CubicA = -0.75;

    /// <summary>Bicubic resize of the table [g*g, Hv] to each image's grid; returns [N, Hv].</summary>
    public static string EmitBicubic(OnnxGraphBuilder g, string table, int side, VisionPatchGrid grid, string prefix)
    {
        string wy = CubicAxisWeights(g, grid.Row, grid.ImageRows, side, prefix + "y_");
        string wx = CubicAxisWeights(g, grid.Col, grid.ImageCols, side, prefix + "x_");
        string outer = g.Node(
            "Mul",
            [g.Node("Unsqueeze", [wy, g.Vector(prefix + "axis2", 2)], prefix + "wy_col"), g.Node("Unsqueeze", [wx, g.Vector(prefix + "axis1", 1)], prefix + "wx_row")],
            prefix + "weights_2d");
        string flat = g.Node("Reshape", [outer, g.Vector(prefix + "flat_shape", 0, (long)side * side)], prefix + "weights");
        return g.Node("MatMul", [flat, table], prefix + "value");
    }

    /// <summary>Linear resize of the flattened table [L, Hv] to rows*cols per image, read at row*cols + col; returns [N, Hv].</summary>
    public static string EmitLinear(OnnxGraphBuilder g, string table, int length, VisionPatchGrid grid, string prefix)
    {
        string flatIndex = g.Node("Cast", [g.Node("Add", [g.Node("Mul", [grid.RowIndex, grid.ImageColIndex], prefix + "row_offset"), grid.ColIndex], prefix + "flat_i64")], prefix + "flat", "", ("to", OnnxDataType.Float));
        string size = g.Node("Mul", [grid.ImageRows, grid.ImageCols], prefix + "size");
        string scale = g.Node("Div", [g.Initializer(prefix + "length", [(float)length]), size], prefix + "scale");
        string half = g.Initializer(prefix + "half", [0.5f]);
        string real = g.Node("Max", [g.Node("Sub", [g.Node("Mul", [scale, g.Node("Add", [flatIndex, half], prefix + "centre")], prefix + "scaled"), half], prefix + "source"), g.Initializer(prefix + "zero", [0f])], prefix + "source_clamped");
        string floor = g.Node("Floor", [real], prefix + "floor");
        string lambda = g.Node("Sub", [real, floor], prefix + "lambda");
        string i0 = g.Node("Cast", [floor], prefix + "i0", "", ("to", OnnxDataType.Int64));
        string i1 = g.Node("Min", [g.Node("Add", [i0, g.Scalar(prefix + "one", 1)], prefix + "i0_plus_one"), g.Scalar(prefix + "last", length - 1)], prefix + "i1");
        string oneMinus = g.Node("Sub", [g.Initializer(prefix + "one_f", [1f]), lambda], prefix + "one_minus_lambda");

        string axis1 = g.Vector(prefix + "axis1", 1);
        string positions = g.Initializer(prefix + "positions", Enumerable.Range(0, length).Select(i => (long)i).ToArray(), [1, length]);
        string w0 = OneHotScaled(g, i0, oneMinus, positions, axis1, prefix + "w0");
        string w1 = OneHotScaled(g, i1, lambda, positions, axis1, prefix + "w1");
        return g.Node("MatMul", [g.Node("Add", [w0, w1], prefix + "weights"), table], prefix + "value");
    }

    /// <summary>
    /// The 4x4 matrix C with w_k(t) = sum_p t^p C[p, k]: the cubic convolution weights of the taps at floor - 1 + k for
    /// a fractional offset t.
    /// </summary>
    internal static float[] CubicWeightPolynomials(double a)
    {
        // Keys' kernel: |x| <= 1: (a+2)|x|^3 - (a+3)|x|^2 + 1; 1 < |x| < 2: a|x|^3 - 5a|x|^2 + 8a|x| - 4a.
        double[] inner = [1, 0, -(a + 3), a + 2];
        double[] outer = [-4 * a, 8 * a, -5 * a, a];
        // Tap distances as functions of t: t + 1, t, 1 - t, 2 - t.
        double[][] taps = [Substitute(outer, 1, 1), Substitute(inner, 0, 1), Substitute(inner, 1, -1), Substitute(outer, 2, -1)];
        var matrix = new float[16];
        for (int p = 0; p < 4; p++)
        {
            for (int k = 0; k < 4; k++)
            {
                matrix[(p * 4) + k] = (float)taps[k][p];
            }
        }

        return matrix;
    }

    /// <summary>Coefficients of f(c + d t) in powers of t, for a cubic f given by its coefficients.</summary>
    private static double[] Substitute(double[] f, double c, double d)
    {
        var result = new double[4];
        for (int p = 0; p < 4; p++)
        {
            // (c + d t)^p = sum_k binom(p, k) c^(p-k) d^k t^k
            for (int k = 0; k <= p; k++)
            {
                result[k] += f[p] * Binomial(p, k) * Math.Pow(c, p - k) * Math.Pow(d, k);
            }
        }

        return result;
    }

    private static double Binomial(int n, int k) => k == 0 || k == n ? 1 : Binomial(n - 1, k - 1) + Binomial(n - 1, k);

    /// <summary>Per patch, the weights over the <paramref name="side"/> table rows (or columns) along one axis: [N, side].</summary>
    private static string CubicAxisWeights(OnnxGraphBuilder g, string position, string imageSize, int side, string prefix)
    {
        string half = g.Initializer(prefix + "half", [0.5f]);
        string scale = g.Node("Div", [g.Initializer(prefix + "side", [(float)side]), imageSize], prefix + "scale");
        string real = g.Node("Sub", [g.Node("Mul", [scale, g.Node("Add", [position, half], prefix + "centre")], prefix + "scaled"), half], prefix + "source");
        string floor = g.Node("Floor", [real], prefix + "floor");
        string t = g.Node("Sub", [real, floor], prefix + "t");
        string axis1 = g.Vector(prefix + "axis1", 1);

        // Tap weights: [1, t, t^2, t^3] x C.
        string powers = g.Node("Pow", [g.Node("Unsqueeze", [t, axis1], prefix + "t_col"), g.Initializer(prefix + "exponents", [0f, 1f, 2f, 3f], 1, 4)], prefix + "t_powers");
        string weights = g.Node("MatMul", [powers, g.Initializer(prefix + "cubic", CubicWeightPolynomials(CubicA), 4, 4)], prefix + "tap_weights");

        // Tap indices floor-1 .. floor+2, clamped to the table (PyTorch's access_clamped).
        string index = g.Node("Cast", [floor], prefix + "floor_i64", "", ("to", OnnxDataType.Int64));
        string taps = g.Node("Add", [g.Node("Unsqueeze", [index, axis1], prefix + "floor_col"), g.Initializer(prefix + "tap_offsets", [-1L, 0, 1, 2], [1, 4])], prefix + "taps");
        string clamped = g.Node("Max", [g.Node("Min", [taps, g.Scalar(prefix + "last", side - 1)], prefix + "taps_low"), g.Scalar(prefix + "first", 0)], prefix + "taps_clamped");

        // Scatter the 4 weights onto the table positions (clamped taps may coincide: their weights add up).
        string positions = g.Initializer(prefix + "positions", Enumerable.Range(0, side).Select(i => (long)i).ToArray(), [1, 1, side]);
        string hit = g.Node("Cast", [g.Node("Equal", [g.Node("Unsqueeze", [clamped, g.Vector(prefix + "axis2", 2)], prefix + "taps_3d"), positions], prefix + "hit")], prefix + "hit_f", "", ("to", OnnxDataType.Float));
        string weighted = g.Node("Mul", [hit, g.Node("Unsqueeze", [weights, g.Vector(prefix + "axis2w", 2)], prefix + "weights_3d")], prefix + "weighted");
        return g.Node("ReduceSum", [weighted, axis1], prefix + "weights", "", ("keepdims", 0));
    }

    private static string OneHotScaled(OnnxGraphBuilder g, string index, string weight, string positions, string axis1, string prefix)
    {
        string hit = g.Node("Cast", [g.Node("Equal", [g.Node("Unsqueeze", [index, axis1], prefix + "_col"), positions], prefix + "_hit")], prefix + "_hit_f", "", ("to", OnnxDataType.Float));
        return g.Node("Mul", [hit, g.Node("Unsqueeze", [weight, axis1], prefix + "_weight_col")], prefix);
    }
}
