namespace Andes.GenAI;

/// <summary>What <see cref="LoraAdapterConverter.Convert"/> wrote.</summary>
/// <param name="OutputFile">The <c>.onnx_adapter</c> file (full path).</param>
/// <param name="ParameterCount">The parameters (graph inputs) it holds.</param>
/// <param name="Rank">The largest rank.</param>
/// <param name="Targets">The adapted projections.</param>
/// <param name="BytesWritten">The file's size.</param>
/// <param name="ModelVersion">The base model identity written as the file's <c>model_version</c>.</param>
public sealed record LoraAdapterConversionResult(string OutputFile, int ParameterCount, int Rank, LoraTargets Targets, long BytesWritten, int ModelVersion);
