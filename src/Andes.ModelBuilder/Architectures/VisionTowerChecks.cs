using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>The <c>vision_config</c> values the vision graphs support, checked before anything is written.</summary>
internal static class VisionTowerChecks
{
    public static void Validate(AndesVisionConfig c)
    {
        if (c.FullAttBlockIndexes is { Length: > 0 } blocks)
        {
            throw Unsupported("fullatt_block_indexes", $"[{string.Join(", ", blocks)}]", "windowed attention blocks are not supported (every published tower uses full attention: null)");
        }

        if (c.TemporalPatchSize != 1)
        {
            throw Unsupported("temporal_patch_size", c.TemporalPatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "only still images (1) are supported");
        }

        if (c.HiddenStride < 1)
        {
            throw Unsupported("hidden_stride", c.HiddenStride.ToString(System.Globalization.CultureInfo.InvariantCulture), "it must be at least 1");
        }

        if (c.HiddenSize % c.NumAttentionHeads != 0 || (c.HiddenSize / c.NumAttentionHeads) % 4 != 0)
        {
            throw Unsupported("num_attention_heads", c.NumAttentionHeads.ToString(System.Globalization.CultureInfo.InvariantCulture), $"hidden_size {c.HiddenSize} must split into heads of a multiple of 4 for the 2-D rotary embedding");
        }

        if (c.InterpolatePeMethod is not ("two_dim" or "one_dim"))
        {
            throw Unsupported("interpolate_pe_method", c.InterpolatePeMethod ?? "null", "expected two_dim or one_dim");
        }
    }

    /// <summary>The side of a square position table of <paramref name="positions"/> entries.</summary>
    public static int SquareSide(long positions, string tensorName, ITensorSource source)
    {
        int side = (int)Math.Round(Math.Sqrt(positions));
        if (positions <= 0 || (long)side * side != positions)
        {
            TensorInfo info = source.GetInfo(tensorName);
            throw new CheckpointException(
                $"Tensor '{tensorName}' in '{info.FilePath}' has {positions} positions, not a square grid: two_dim interpolation needs g*g.", info.FilePath, tensorName);
        }

        return side;
    }

    private static CheckpointException Unsupported(string field, string value, string why) =>
        new($"config.json field 'vision_config.{field}' = {value}: {why}.");
}
