using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.Testing.Onnx;

/// <summary>Runs a model folder's <c>vision.onnx</c> with plain ONNX Runtime calls, independent of the Andes engine.</summary>
public sealed class OnnxVisionHarness : IDisposable
{
    private readonly InferenceSession _vision;

    /// <summary>Opens the folder's vision graph.</summary>
    public OnnxVisionHarness(string modelDirectory)
    {
        GenAIConfig config = GenAIConfig.Load(modelDirectory);
        GenAIVisionConfig vision = config.Model.Vision ?? throw new InvalidOperationException($"'{modelDirectory}' has no vision section.");
        HiddenSize = config.Model.Decoder.HiddenSize;
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _vision = new InferenceSession(Path.Combine(modelDirectory, vision.Filename), options);
    }

    /// <summary>The language model's hidden size (the width of a feature row).</summary>
    public int HiddenSize { get; }

    /// <summary>The session (for metadata checks).</summary>
    public InferenceSession Session => _vision;

    /// <summary>Encodes patches [N, C*p*p] of images with the given grids (rows, cols in patches); returns features [T * H].</summary>
    public float[] Encode(float[] pixelValues, IReadOnlyList<(int Rows, int Cols)> grids)
    {
        int n = grids.Sum(g => g.Rows * g.Cols);
        long[] thw = grids.SelectMany(g => new long[] { 1, g.Rows, g.Cols }).ToArray();
        using OrtValue pixels = OrtValue.CreateTensorValueFromMemory(pixelValues, [n, pixelValues.Length / n]);
        using OrtValue grid = OrtValue.CreateTensorValueFromMemory(thw, [grids.Count, 3]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = _vision.Run(new RunOptions(), ["pixel_values", "image_grid_thw"], [pixels, grid], ["image_features"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _vision.Dispose();
}
