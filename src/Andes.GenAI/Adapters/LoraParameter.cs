namespace Andes.GenAI;

/// <summary>One float32 adapter parameter (a graph input's value): name, dimensions and row-major data.</summary>
/// <param name="Name">The graph input name (see <see cref="LoraParameterNames"/>).</param>
/// <param name="Dims">The dimensions ([K, r] for A, [r, N] for B).</param>
/// <param name="Data">The values, row-major.</param>
internal sealed record LoraParameter(string Name, long[] Dims, float[] Data);
