using Andes.GenAI;
namespace Andes.ModelBuilder;

/// <summary>What <see cref="LoraAdapterGenerator"/> wrote.</summary>
/// <param name="Directory">The PEFT adapter folder (full path).</param>
/// <param name="Rank">The rank r.</param>
/// <param name="Alpha">The <c>lora_alpha</c>.</param>
/// <param name="Scale">The scale PEFT applies: alpha / r, or alpha / sqrt(r) with rsLoRA.</param>
/// <param name="Targets">The adapted projections.</param>
/// <param name="TensorCount">The number of tensors (two per adapted projection and layer).</param>
/// <param name="TensorBytes">The tensor data in bytes.</param>
/// <param name="BaseModelFingerprint">The base checkpoint's fingerprint, stored in the weights' metadata.</param>
public sealed record GeneratedLoraAdapter(string Directory, int Rank, double Alpha, double Scale, LoraTargets Targets, int TensorCount, long TensorBytes, string BaseModelFingerprint);
