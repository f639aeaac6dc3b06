namespace Andes.GenAI;

/// <summary>The name and shape of one parameter of a loaded adapter.</summary>
/// <param name="Name">The graph input it feeds (see <see cref="LoraParameterNames"/>).</param>
/// <param name="Shape">Its dimensions ([in_features, r] for lora_A, [r, out_features] for lora_B).</param>
public readonly record struct LoraParameterInfo(string Name, IReadOnlyList<long> Shape);
