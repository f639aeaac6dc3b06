namespace Andes.ModelBuilder;

/// <summary>What <see cref="CheckpointGenerator"/> wrote.</summary>
/// <param name="Directory">The checkpoint folder (full path).</param>
/// <param name="Config">The configuration written as <c>config.json</c>.</param>
/// <param name="Files">The files written by the generator, relative to <paramref name="Directory"/> (asset writers' files not included).</param>
/// <param name="TensorCount">The number of tensors.</param>
/// <param name="TensorBytes">The tensor data in bytes.</param>
public sealed record GeneratedCheckpoint(string Directory, AndesVLConfig Config, IReadOnlyList<string> Files, int TensorCount, long TensorBytes);
