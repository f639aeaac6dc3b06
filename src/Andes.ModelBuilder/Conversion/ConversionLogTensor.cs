namespace Andes.ModelBuilder;

/// <summary>One tensor of a <see cref="ConversionLog"/>, as read back from <c>andes_conversion.json</c>.</summary>
/// <param name="Name">The checkpoint tensor name.</param>
/// <param name="Shape">The checkpoint shape.</param>
/// <param name="Precision">How it was stored, or null when the log does not say.</param>
/// <param name="Bytes">The bytes written for it, or null when the log does not say.</param>
public sealed record ConversionLogTensor(string Name, IReadOnlyList<long> Shape, WeightPrecision? Precision, long? Bytes);
