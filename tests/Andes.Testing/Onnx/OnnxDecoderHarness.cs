using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.Testing.Onnx;

/// <summary>
/// Runs a model folder's embedding and decoder graphs with plain ONNX Runtime calls (past and present in separate
/// buffers, copied between steps), independent of the Andes engine, so the builder's graphs are checked on their own.
/// </summary>
public sealed class OnnxDecoderHarness : IDisposable
{
    private readonly InferenceSession _embedding;
    private readonly InferenceSession _decoder;
    private readonly GenAIConfig _config;
    private float[][] _keys;
    private float[][] _values;

    /// <summary>Opens the folder's graphs.</summary>
    public OnnxDecoderHarness(string modelDirectory)
    {
        _config = GenAIConfig.Load(modelDirectory);
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _embedding = new InferenceSession(Path.Combine(modelDirectory, _config.Model.Embedding!.Filename), options);
        _decoder = new InferenceSession(Path.Combine(modelDirectory, _config.Model.Decoder.Filename), options);
        int layers = _config.Model.Decoder.NumHiddenLayers;
        _keys = Enumerable.Range(0, layers).Select(_ => Array.Empty<float>()).ToArray();
        _values = Enumerable.Range(0, layers).Select(_ => Array.Empty<float>()).ToArray();
    }

    /// <summary>Positions cached so far.</summary>
    public int Length { get; private set; }

    /// <summary>The decoder session (for metadata checks).</summary>
    public InferenceSession Decoder => _decoder;

    /// <summary>The embedding session.</summary>
    public InferenceSession Embedding => _embedding;

    /// <summary>Whether the embedding graph takes <c>image_features</c>.</summary>
    public bool TakesImageFeatures => _embedding.InputMetadata.ContainsKey("image_features");

    /// <summary>
    /// Runs <paramref name="ids"/> after the cached positions and returns the last position's logits; image feature rows
    /// [T, H] (row-major) replace the <c>&lt;|vision_pad|&gt;</c> positions, in order (none: an empty [0, H] input).
    /// </summary>
    public float[] Forward(ReadOnlySpan<int> ids, float[]? imageFeatures = null)
    {
        GenAIDecoderConfig d = _config.Model.Decoder;
        int s = ids.Length, kvH = d.NumKeyValueHeads, hd = d.HeadSize, total = Length + s;
        using IDisposableReadOnlyCollection<OrtValue> embedOut = RunEmbedding(ids, imageFeatures);

        var names = new List<string> { "inputs_embeds", "attention_mask" };
        var values = new List<OrtValue> { embedOut[0] };
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, total).ToArray(), [1, total]);
        values.Add(mask);
        var owned = new List<OrtValue>();
        var outputNames = new List<string> { "logits" };
        for (int i = 0; i < d.NumHiddenLayers; i++)
        {
            OrtValue k = OrtValue.CreateTensorValueFromMemory(_keys[i], [1, kvH, Length, hd]);
            OrtValue v = OrtValue.CreateTensorValueFromMemory(_values[i], [1, kvH, Length, hd]);
            owned.Add(k);
            owned.Add(v);
            names.Add($"past_key_values.{i}.key");
            values.Add(k);
            names.Add($"past_key_values.{i}.value");
            values.Add(v);
            outputNames.Add($"present.{i}.key");
            outputNames.Add($"present.{i}.value");
        }

        try
        {
            using IDisposableReadOnlyCollection<OrtValue> outputs = _decoder.Run(new RunOptions(), names, values, outputNames);
            float[] logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            for (int i = 0; i < d.NumHiddenLayers; i++)
            {
                _keys[i] = outputs[1 + (2 * i)].GetTensorDataAsSpan<float>().ToArray();
                _values[i] = outputs[2 + (2 * i)].GetTensorDataAsSpan<float>().ToArray();
            }

            Length = total;
            return logits;
        }
        finally
        {
            owned.ForEach(o => o.Dispose());
        }
    }

    /// <summary>Runs only the embedding graph (with optional image feature rows [T, H]).</summary>
    public float[] Embed(ReadOnlySpan<int> ids, float[]? imageFeatures = null)
    {
        using IDisposableReadOnlyCollection<OrtValue> embedOut = RunEmbedding(ids, imageFeatures);
        return embedOut[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private IDisposableReadOnlyCollection<OrtValue> RunEmbedding(ReadOnlySpan<int> ids, float[]? imageFeatures)
    {
        long[] idArray = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            idArray[i] = ids[i];
        }

        using OrtValue idValue = OrtValue.CreateTensorValueFromMemory(idArray, [1, ids.Length]);
        if (!TakesImageFeatures)
        {
            if (imageFeatures is { Length: > 0 })
            {
                throw new InvalidOperationException("The embedding graph takes no image features.");
            }

            return _embedding.Run(new RunOptions(), ["input_ids"], [idValue], ["inputs_embeds"]);
        }

        int h = _config.Model.Decoder.HiddenSize;
        float[] features = imageFeatures ?? [];
        using OrtValue featureValue = OrtValue.CreateTensorValueFromMemory(features, [features.Length / h, h]);
        return _embedding.Run(new RunOptions(), ["input_ids", "image_features"], [idValue, featureValue], ["inputs_embeds"]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _embedding.Dispose();
        _decoder.Dispose();
    }
}
