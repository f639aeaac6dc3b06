using System.Diagnostics;
using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// Runs a model folder's vision graph (<c>vision.onnx</c>: the tower and the connector) on one preprocessed image:
/// <c>pixel_values [patches, 3p^2]</c> and <c>image_grid_thw [1, 3] = (1, rows, cols)</c> in, one feature row of the
/// language model's hidden size per image token out. Thread-safe (ONNX Runtime sessions run concurrently).
/// </summary>
internal sealed class VisionEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _hiddenSize;
    private readonly string _file;

    private const string DefaultImageGridThw = "image_sizes";

    public VisionEncoder(InferenceSession session, GenAIVisionConfig config, int hiddenSize, string file)
    {
        _session = session;
        _hiddenSize = hiddenSize;
        _file = file;
        // ONNX Runtime GenAI's default for image_grid_thw is the image_sizes name (Config::Model::Vision::Inputs in
        // src/config.h), so a folder that leaves it out feeds the grid under that name there, and here too.
        string grid = config.Inputs.ImageGridThw ?? DefaultImageGridThw;
        _inputNames = [config.Inputs.PixelValues, grid];
        _outputNames = [config.Outputs.ImageFeatures];
        foreach (string name in _inputNames)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new ModelConfigurationException(
                    $"'{file}': the vision graph '{config.Filename}' has no input '{name}' (it has: {string.Join(", ", session.InputMetadata.Keys)}).", file, "model.vision.inputs");
            }
        }

        if (!session.OutputMetadata.ContainsKey(_outputNames[0]))
        {
            throw new ModelConfigurationException(
                $"'{file}': the vision graph '{config.Filename}' has no output '{_outputNames[0]}' (it has: {string.Join(", ", session.OutputMetadata.Keys)}).", file, "model.vision.outputs.image_features");
        }
    }

    /// <summary>Stopwatch ticks spent in Run, summed over all calls.</summary>
    public long RunTicks => Interlocked.Read(ref _runTicks);

    private long _runTicks;

    /// <summary>Encodes one image.</summary>
    /// <param name="image">The preprocessed image.</param>
    /// <param name="runOptions">Run options (for termination), or null.</param>
    /// <returns>The feature rows.</returns>
    public ImageFeatures Encode(ProcessedImage image, RunOptions? runOptions = null)
    {
        ImageGeometry g = image.Geometry;
        long[] grid = [1, g.GridHeight, g.GridWidth];
        using OrtValue pixels = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, System.Runtime.InteropServices.MemoryMarshal.AsMemory(image.PixelValues), [g.PatchCount, g.PatchDimension]);
        using OrtValue gridValue = OrtValue.CreateTensorValueFromMemory(grid, [1, 3]);
        float[] rows = GC.AllocateUninitializedArray<float>(g.TokenCount * _hiddenSize);
        using OrtValue output = OrtValue.CreateTensorValueFromMemory(rows, [g.TokenCount, _hiddenSize]);
        using RunOptions? owned = runOptions is null ? new RunOptions() : null;
        long start = Stopwatch.GetTimestamp();
        try
        {
            _session.Run(runOptions ?? owned!, _inputNames, [pixels, gridValue], _outputNames, [output]);
        }
        catch (OnnxRuntimeException ex) when (ex.Message.Contains("shape", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelConfigurationException(
                $"'{_file}': the vision graph did not produce [{g.TokenCount}, {_hiddenSize}] features for a {g.GridHeight} x {g.GridWidth} patch grid: {ex.Message}", _file, "model.vision");
        }
        finally
        {
            Interlocked.Add(ref _runTicks, Stopwatch.GetTimestamp() - start);
        }

        return new ImageFeatures(rows, g.TokenCount, _hiddenSize, g);
    }

    public void Dispose() => _session.Dispose();
}
