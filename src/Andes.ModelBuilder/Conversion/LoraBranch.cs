namespace Andes.ModelBuilder;

/// <summary>
/// One LoRA branch the decoder graph holds: the base linear's output, the nodes that add (x A) B to it, and the A/B
/// inputs; enough to derive the same graph without LoRA (<see cref="LoraGraphStripper"/>).
/// </summary>
/// <param name="BaseOutput">The base linear's output (x W^T).</param>
/// <param name="Output">The branch's output (base + delta), which the rest of the graph consumes.</param>
/// <param name="BranchOutputs">The outputs of the branch's nodes (x A, its Split when the A is shared with other projections, the Gemm or MatMul + Add, ending in <paramref name="Output"/>).</param>
/// <param name="A">The lora_A input/initializer.</param>
/// <param name="B">The lora_B input/initializer.</param>
internal sealed record LoraBranch(string BaseOutput, string Output, string[] BranchOutputs, string A, string B);
