namespace Andes.Benchmarking;

/// <summary>
/// Floating-point operations of one image through <c>vision.onnx</c> (the tower and the connector), counted by
/// <see cref="ModelFlopCounter.CountVision"/>. A multiply-add counts as two.
/// </summary>
/// <param name="Patches">The image's patches (rows of the tower).</param>
/// <param name="Tokens">The image's tokens (rows of the connector: one per 2 x 2 group).</param>
/// <param name="PatchEmbedding">The patch projection as a linear over 3*p*p: 2 * patches * 3p^2 * hidden.</param>
/// <param name="PositionTable">The position table resized to the grid, a dense [patches, L] x [L, hidden] product: 2 * patches * L * hidden.</param>
/// <param name="TrunkLinears">The blocks' linears: 2 * patches * sum(in * out).</param>
/// <param name="Attention">Scores and weighted values over the whole image per layer: layers * 4 * patches^2 * hidden.</param>
/// <param name="Connector">The connector's linears: 2 * tokens * sum(in * out).</param>
public sealed record VisionFlops(int Patches, int Tokens, long PatchEmbedding, long PositionTable, long TrunkLinears, long Attention, long Connector)
{
    /// <summary>The sum of the parts.</summary>
    public long Total => PatchEmbedding + PositionTable + TrunkLinears + Attention + Connector;
}
