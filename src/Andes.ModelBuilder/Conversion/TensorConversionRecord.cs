namespace Andes.ModelBuilder;

/// <summary>What the converter wrote for one checkpoint tensor, and the quantisation error it introduced.</summary>
/// <param name="Name">The checkpoint tensor name.</param>
/// <param name="Shape">The checkpoint shape.</param>
/// <param name="Precision">How it was stored.</param>
/// <param name="BytesWritten">Bytes written for it (weights, scales and zero points).</param>
/// <param name="MaxAbsError">Largest |w - dequant(quant(w))| (0 when stored exactly).</param>
/// <param name="MeanAbsError">Mean |w - dequant(quant(w))|.</param>
public sealed record TensorConversionRecord(string Name, long[] Shape, WeightPrecision Precision, long BytesWritten, double MaxAbsError, double MeanAbsError);
