using System.Buffers;
using Andes.GenAI.Models;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI.Generation;

/// <summary>
/// Runs one sequence through the embedding and decoder graphs, chunk by chunk, keeping its key/value cache. After each
/// <see cref="Forward(ReadOnlySpan{int}, ReadOnlyMemory{float}, RunOptions?)"/>, <see cref="Logits"/> holds the next-token logits of the chunk's last position.
/// </summary>
/// <remarks>Not thread-safe: one per sequence. Many runners may share one <see cref="AndesModel"/> concurrently.</remarks>
internal sealed class SequenceRunner : IDisposable
{
    private readonly AndesModel _model;
    private readonly DecoderSignature _sig;
    private readonly KeyValueCache _cache;
    private readonly float[] _logits;
    private readonly OrtValue _logitsValue;
    private readonly string[] _decoderInputNames;
    private readonly OrtValue[] _decoderInputs;
    private readonly string[] _decoderOutputNames;
    private readonly OrtValue[] _decoderOutputs;
    private readonly string[] _embeddingInputNames;
    private readonly string[] _embeddingOutputNames;
    private readonly OrtValue[] _embeddingInputs;
    private readonly OrtValue? _noImageFeatures;
    private readonly OrtValue[] _embeddingOutputs = new OrtValue[1];
    private long[] _ids = [];
    private long[] _mask = [];
    private float[] _embeds = [];

    public SequenceRunner(AndesModel model, int capacityHint)
    {
        model.ThrowIfDisposed();
        _model = model;
        _sig = model.Signature;
        _cache = new KeyValueCache(_sig.Layers, _sig.KvHeads, _sig.HeadSize, Math.Min(capacityHint, model.ContextLength), model.ContextLength);
        _logits = GC.AllocateArray<float>(_sig.VocabSize, pinned: true);
        _logitsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _logits.AsMemory(), [1, 1, _sig.VocabSize]);

        int layers = _sig.Layers;
        _decoderInputNames = new string[2 + (2 * layers)];
        _decoderInputNames[0] = _sig.InputsEmbeds ?? _sig.InputIds!;
        _decoderInputNames[1] = _sig.AttentionMask;
        _decoderOutputNames = new string[1 + (2 * layers)];
        _decoderOutputNames[0] = _sig.Logits;
        for (int i = 0; i < layers; i++)
        {
            _decoderInputNames[2 + (2 * i)] = _sig.PastKeys[i];
            _decoderInputNames[3 + (2 * i)] = _sig.PastValues[i];
            _decoderOutputNames[1 + (2 * i)] = _sig.PresentKeys[i];
            _decoderOutputNames[2 + (2 * i)] = _sig.PresentValues[i];
        }

        _decoderInputs = new OrtValue[_decoderInputNames.Length];
        _decoderOutputs = new OrtValue[_decoderOutputNames.Length];
        _embeddingInputNames = _sig.EmbeddingImageFeatures is { } features ? [_sig.EmbeddingInputIds, features] : [_sig.EmbeddingInputIds];
        _embeddingInputs = new OrtValue[_embeddingInputNames.Length];
        _embeddingOutputNames = [_sig.EmbeddingOutput];
        if (_sig.EmbeddingImageFeatures is not null)
        {
            // A text-only chunk still feeds the input: an empty [0, H] tensor.
            _noImageFeatures = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, [0, _sig.HiddenSize]);
        }
    }

    /// <summary>Positions whose keys/values are cached.</summary>
    public int Length => _cache.Length;

    /// <summary>The next-token logits after the last <see cref="Forward(ReadOnlySpan{int}, ReadOnlyMemory{float}, RunOptions?)"/>.</summary>
    public Span<float> Logits => _logits;

    /// <summary>Bytes held by the key/value cache.</summary>
    public long CacheSizeInBytes => _cache.SizeInBytes;

    /// <summary>Forgets cached positions from <paramref name="length"/> on (keeps a prefix for reuse).</summary>
    public void Rewind(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _cache.Length);
        _cache.Length = length;
    }

    /// <summary>Runs <paramref name="ids"/> (appended after the cached positions) and leaves the last position's logits.</summary>
    public void Forward(ReadOnlySpan<int> ids, RunOptions? runOptions = null) => Forward(ids, default, runOptions);

    /// <summary>
    /// Runs <paramref name="ids"/> with image feature rows [T, H] (row-major) that the embedding graph writes, in order,
    /// over the <c>&lt;|vision_pad|&gt;</c> positions of the chunk; empty for text only.
    /// </summary>
    /// <exception cref="NotSupportedException">Features were given but the embedding graph takes none.</exception>
    /// <exception cref="ArgumentException">The features are not whole rows of the hidden size.</exception>
    public void Forward(ReadOnlySpan<int> ids, ReadOnlyMemory<float> imageFeatures, RunOptions? runOptions = null)
    {
        _model.ThrowIfDisposed();
        int s = ids.Length;
        if (s == 0)
        {
            throw new ArgumentException("At least one token is needed.", nameof(ids));
        }

        int total = _cache.Length + s;
        if (total > _model.ContextLength)
        {
            throw new InvalidOperationException($"The sequence would reach {total} tokens; the model's context holds {_model.ContextLength}.");
        }

        _cache.EnsureCapacity(total);
        Grow(ref _ids, s);
        Grow(ref _mask, _cache.Capacity);
        for (int i = 0; i < s; i++)
        {
            _ids[i] = ids[i];
        }

        _mask.AsSpan(0, total).Fill(1);
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _ids.AsMemory(0, s), [1, s]);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mask.AsMemory(0, total), [1, total]);
        if (!imageFeatures.IsEmpty && _noImageFeatures is null)
        {
            throw new NotSupportedException("This model's embedding graph takes no image features.");
        }

        if (imageFeatures.Length % _sig.HiddenSize != 0)
        {
            throw new ArgumentException($"Image features of {imageFeatures.Length} values are not whole rows of {_sig.HiddenSize}.", nameof(imageFeatures));
        }

        if (!imageFeatures.IsEmpty)
        {
            int pads = 0, padId = _model.Config.Model.ImageTokenId ?? DefaultImageTokenId;
            foreach (int id in ids)
            {
                pads += id == padId ? 1 : 0;
            }

            if (pads != imageFeatures.Length / _sig.HiddenSize)
            {
                throw new ArgumentException(
                    $"{imageFeatures.Length / _sig.HiddenSize} image feature rows were given for {pads} image placeholder tokens ({padId}) in the chunk.", nameof(imageFeatures));
            }
        }

        OrtValue? embedsValue = null;
        OrtValue? featuresValue = null;
        try
        {
            if (_sig.InputsEmbeds is not null)
            {
                int h = _sig.HiddenSize;
                Grow(ref _embeds, s * h);
                embedsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _embeds.AsMemory(0, s * h), [1, s, h]);
                _embeddingInputs[0] = idsValue;
                if (_noImageFeatures is not null)
                {
                    if (!imageFeatures.IsEmpty)
                    {
                        featuresValue = OrtValue.CreateTensorValueFromMemory(
                            OrtMemoryInfo.DefaultInstance, System.Runtime.InteropServices.MemoryMarshal.AsMemory(imageFeatures), [imageFeatures.Length / h, h]);
                    }

                    _embeddingInputs[1] = featuresValue ?? _noImageFeatures;
                }

                _embeddingOutputs[0] = embedsValue;
                _model.Embedding!.Run(runOptions ?? DefaultRunOptions, _embeddingInputNames, _embeddingInputs, _embeddingOutputNames, _embeddingOutputs);
                _decoderInputs[0] = embedsValue;
            }
            else
            {
                _decoderInputs[0] = idsValue;
            }

            _decoderInputs[1] = maskValue;
            _decoderOutputs[0] = _logitsValue;
            for (int i = 0; i < _sig.Layers; i++)
            {
                _decoderInputs[2 + (2 * i)] = _cache.Keys[i];
                _decoderInputs[3 + (2 * i)] = _cache.Values[i];
                _decoderOutputs[1 + (2 * i)] = _cache.Keys[i];
                _decoderOutputs[2 + (2 * i)] = _cache.Values[i];
            }

            _model.Decoder.Run(runOptions ?? DefaultRunOptions, _decoderInputNames, _decoderInputs, _decoderOutputNames, _decoderOutputs);
            _cache.Length = total;
        }
        finally
        {
            embedsValue?.Dispose();
            featuresValue?.Dispose();
            Array.Clear(_decoderInputs);
            Array.Clear(_decoderOutputs);
            Array.Clear(_embeddingInputs);
            _embeddingOutputs[0] = null!;
        }
    }

    public void Dispose()
    {
        _noImageFeatures?.Dispose();
        _logitsValue.Dispose();
        _cache.Dispose();
    }

    private const int DefaultImageTokenId = 151654;

    private static readonly RunOptions DefaultRunOptions = new();

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = GC.AllocateArray<T>(Math.Max(length, buffer.Length * 2), pinned: true);
        }
    }
}
