using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// The vision towers' 2-D rotary embedding: rope dimension head_dim/2, inv_freq[j] = theta^(-2j / rope_dim), per patch
/// the angles concat(row * inv_freq, col * inv_freq) duplicated to head_dim, applied rotate-half style to each head of
/// q and k. Cos and sin are computed once per graph run from the patch positions.
/// </summary>
internal sealed class VisionRotaryEmbedding
{
    private readonly string _cos;
    private readonly string _sin;
    private readonly string _headsShape;
    private readonly string _flatShape;
    private readonly string _halves;

    private VisionRotaryEmbedding(string cos, string sin, string headsShape, string flatShape, string halves)
    {
        _cos = cos;
        _sin = sin;
        _headsShape = headsShape;
        _flatShape = flatShape;
        _halves = halves;
    }

    /// <summary>The vision rotary base.</summary>
    public const double Theta = 10000;

    /// <summary>The inverse frequencies: theta^(-2j / (headDim / 2)) for j &lt; headDim / 4.</summary>
    public static float[] InverseFrequencies(int headDim)
    {
        int ropeDim = headDim / 2;
        var inv = new float[ropeDim / 2];
        for (int j = 0; j < inv.Length; j++)
        {
            inv[j] = (float)Math.Pow(Theta, -2.0 * j / ropeDim);
        }

        return inv;
    }

    /// <summary>Emits cos and sin [1, N, 1, head_dim] for the patches of <paramref name="grid"/>.</summary>
    public static VisionRotaryEmbedding Emit(OnnxGraphBuilder g, VisionPatchGrid grid, int heads, int headDim)
    {
        if (headDim % 4 != 0)
        {
            throw new ArgumentException($"The vision head dimension ({headDim}) must be a multiple of 4 for the 2-D rotary embedding.", nameof(headDim));
        }

        const string P = "rope.";
        float[] inv = InverseFrequencies(headDim);
        string invFreq = g.Initializer(P + "inv_freq", inv, 1, inv.Length);
        string axis1 = g.Vector(P + "axis1", 1);
        string rowAngles = g.Node("Mul", [g.Node("Unsqueeze", [grid.Row, axis1], P + "row_col"), invFreq], P + "row_angles");
        string colAngles = g.Node("Mul", [g.Node("Unsqueeze", [grid.Col, axis1], P + "col_col"), invFreq], P + "col_angles");
        string half = g.Node("Concat", [rowAngles, colAngles], P + "angles_half", "", ("axis", 1));
        string full = g.Node("Concat", [half, half], P + "angles", "", ("axis", 1));
        string perHead = g.Vector(P + "broadcast_shape", 1, -1, 1, headDim);
        string cos = g.Node("Reshape", [g.Node("Cos", [full], P + "cos_flat"), perHead], P + "cos");
        string sin = g.Node("Reshape", [g.Node("Sin", [full], P + "sin_flat"), perHead], P + "sin");
        return new VisionRotaryEmbedding(
            cos,
            sin,
            g.Vector(P + "heads_shape", 1, -1, heads, headDim),
            g.Vector(P + "flat_shape", 1, -1, (long)heads * headDim),
            g.Vector(P + "halves", headDim / 2, headDim / 2));
    }

    /// <summary>Rotates <paramref name="x"/> [1, N, heads * head_dim]; returns the same shape.</summary>
    public string Apply(OnnxGraphBuilder g, string x, string prefix)
    {
        string perHead = g.Node("Reshape", [x, _headsShape], prefix + "_heads");
        string[] halves = g.Node("Split", [perHead, _halves], [prefix + "_first", prefix + "_second"], "", ("axis", -1));
        string rotated = g.Node("Concat", [g.Node("Neg", [halves[1]], prefix + "_second_neg"), halves[0]], prefix + "_rotated_half", "", ("axis", -1));
        string sum = g.Node("Add", [g.Node("Mul", [perHead, _cos], prefix + "_cos_part"), g.Node("Mul", [rotated, _sin], prefix + "_sin_part")], prefix + "_rotary");
        return g.Node("Reshape", [sum, _flatShape], prefix);
    }
}
