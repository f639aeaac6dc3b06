using System.Diagnostics;
using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// Runs one sequence through the embedding and decoder graphs, chunk by chunk, keeping its key/value cache. After each
/// <see cref="Forward(ReadOnlySpan{int}, ReadOnlyMemory{float}, RunOptions?, RunOptions?, int)"/>, <see cref="Logits"/> holds the next-token logits of the chunk's last position.
/// </summary>
/// <remarks>
/// Handles the decoder layouts of the ONNX Runtime GenAI folder format: embeddings or token ids in, separate or combined
/// (<c>past_%d</c>) key/value tensors, int32 or int64 ids and mask, optional position ids. GroupQueryAttention decoders
/// with separate key/value tensors share one buffer as past and present (appended in place); other decoders chain each
/// run's present outputs into the next run's pasts. Image feature rows, when given, are written by the embedding graph
/// over the chunk's <c>&lt;|vision_pad|&gt;</c> positions. Not thread-safe: one per sequence. Many runners may share one
/// <see cref="AndesModel"/> concurrently.
/// </remarks>
internal sealed class SequenceRunner : IDisposable
{
    private static readonly RunOptions DefaultRunOptions = new();

    private readonly AndesModel _model;
    private readonly DecoderSignature _sig;
    private readonly KeyValueCache? _shared;
    private readonly ChainedKeyValueCache? _chained;
    private readonly float[] _logits;
    private readonly OrtValue _logitsValue;
    private readonly string[] _decoderInputNames;
    private readonly OrtValue[] _decoderInputs;
    private readonly string[] _decoderOutputNames;
    private readonly string[] _keptOutputNames; // kept_logits in place of logits: a pass that keeps several positions
    private readonly OrtValue[] _decoderOutputs;
    private readonly int _firstPast;
    private readonly string[] _embeddingInputNames;
    private readonly string[] _embeddingOutputNames;
    private readonly OrtValue[] _embeddingInputs;
    private readonly OrtValue? _noImageFeatures;
    private readonly OrtValue[] _embeddingOutputs = new OrtValue[1];
    private long[] _ids64 = [];
    private int[] _ids32 = [];
    private long[] _mask64 = [];
    private int[] _mask32 = [];
    private long[] _positions64 = [];
    private int[] _positions32 = [];
    private float[] _embeds = [];
    private readonly long[]? _keep;
    private readonly OrtValue? _keepValue;
    private float[] _rows = [];
    private OrtValue? _rowsValue;
    private int _rowsValueCount;
    private int _logitsRows = 1;

    public SequenceRunner(AndesModel model, int capacityHint)
    {
        model.ThrowIfDisposed();
        _model = model;
        _sig = model.Signature;
        _logits = GC.AllocateArray<float>(_sig.VocabSize, pinned: true);
        _logitsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _logits.AsMemory(), [1, 1, _sig.VocabSize]);

        var inputs = new List<string> { _sig.InputsEmbeds ?? _sig.InputIds!, _sig.AttentionMask };
        if (_sig.PositionIds is not null)
        {
            inputs.Add(_sig.PositionIds);
        }

        if (_sig.NumLogitsToKeep is not null)
        {
            inputs.Add(_sig.NumLogitsToKeep);
            _keep = GC.AllocateArray<long>(1, pinned: true);
            _keepValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _keep.AsMemory(), [1]);
        }

        _firstPast = inputs.Count;
        var outputs = new List<string> { _sig.Logits };
        for (int i = 0; i < _sig.Layers; i++)
        {
            inputs.Add(_sig.PastKeys[i]);
            outputs.Add(_sig.PresentKeys[i]);
            if (!_sig.CombinedKeyValues)
            {
                inputs.Add(_sig.PastValues[i]);
                outputs.Add(_sig.PresentValues[i]);
            }
        }

        _decoderInputNames = [.. inputs];
        _decoderOutputNames = [.. outputs];
        _keptOutputNames = [.. outputs];
        _keptOutputNames[0] = DecoderSignature.KeptLogitsName;
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

        if (_sig.SharesPastPresentBuffer)
        {
            _shared = new KeyValueCache(_sig.Layers, _sig.KvHeads, _sig.HeadSize, Math.Min(capacityHint, model.ContextLength), model.ContextLength);
        }
        else
        {
            _chained = new ChainedKeyValueCache(_decoderInputNames.Length - _firstPast, _sig.KvHeads, _sig.HeadSize, _sig.CombinedKeyValues);
        }
    }

    /// <summary>Positions whose keys/values are cached.</summary>
    public int Length => _shared?.Length ?? _chained!.Length;

    /// <summary>The next-token logits after the last <see cref="Forward(ReadOnlySpan{int}, ReadOnlyMemory{float}, RunOptions?, RunOptions?, int)"/> (its last position's).</summary>
    public Span<float> Logits => _logitsRows == 1 ? _logits : LogitsRow(_logitsRows - 1);

    /// <summary>Whether <see cref="Forward(ReadOnlySpan{int}, ReadOnlyMemory{float}, RunOptions?, RunOptions?, int)"/> can return the logits of several last positions (the decoder has <c>num_logits_to_keep</c>).</summary>
    public bool CanKeepSeveralLogits => _sig.NumLogitsToKeep is not null;

    /// <summary>
    /// The logits after the <paramref name="row"/>-th of the last forward's kept positions (0 = the first kept one): the
    /// next-token logits given the sequence up to and including that position.
    /// </summary>
    public Span<float> LogitsRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, _logitsRows);
        return _logitsRows == 1 ? _logits : _rows.AsSpan(row * _sig.VocabSize, _sig.VocabSize);
    }

    /// <summary>Stopwatch ticks spent inside ONNX Runtime's Run (embedding and decoder) by this runner.</summary>
    public long RunTicks { get; private set; }

    /// <summary>Bytes held by the key/value cache.</summary>
    public long CacheSizeInBytes => _shared?.SizeInBytes ?? _chained!.SizeInBytes;

    /// <summary>
    /// Makes room for <paramref name="positions"/> positions ahead of time, so that the key/value buffers do not grow
    /// (a copy of the whole cache) in the middle of decoding. Decoders without shared buffers need no reservation.
    /// </summary>
    public void Reserve(int positions) => _shared?.EnsureCapacity(Math.Min(positions, _model.ContextLength));

    /// <summary>Forgets cached positions from <paramref name="length"/> on (keeps a prefix for reuse).</summary>
    public void Rewind(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        if (_shared is not null)
        {
            _shared.Length = length;
        }
        else
        {
            _chained!.Rewind(length);
        }
    }

    /// <summary>Runs <paramref name="ids"/> (appended after the cached positions) and leaves the last position's logits.</summary>
    /// <param name="ids">The tokens.</param>
    /// <param name="runOptions">Run options of the embedding graph (and of the decoder unless <paramref name="decoderRunOptions"/> is given).</param>
    /// <param name="decoderRunOptions">Run options of the decoder only (e.g. with an active LoRA adapter, whose inputs only the decoder has).</param>
    public void Forward(ReadOnlySpan<int> ids, RunOptions? runOptions = null, RunOptions? decoderRunOptions = null) => Forward(ids, default, runOptions, decoderRunOptions);

    /// <summary>
    /// Runs <paramref name="ids"/> with image feature rows [T, H] (row-major) that the embedding graph writes, in order,
    /// over the <c>&lt;|vision_pad|&gt;</c> positions of the chunk; empty for text only.
    /// </summary>
    /// <param name="ids">The tokens.</param>
    /// <param name="imageFeatures">Image feature rows for the chunk's placeholders (empty for text only).</param>
    /// <param name="runOptions">Run options of the embedding graph (and of the decoder unless <paramref name="decoderRunOptions"/> is given).</param>
    /// <param name="decoderRunOptions">
    /// Run options of the decoder only, given when a LoRA adapter is active on them: the model's LoRA decoder runs then
    /// (the adapter's inputs are the decoder's), its base decoder otherwise.
    /// </param>
    /// <exception cref="NotSupportedException">Features were given but the embedding graph takes none.</exception>
    /// <exception cref="ArgumentException">The features are not whole rows of the hidden size, or do not match the placeholders.</exception>
    /// <param name="logitsToKeep">
    /// How many last positions get logits (see <see cref="LogitsRow"/>): 1 for the prompt and plain decoding, k + 1 to
    /// verify k drafted tokens. More than 1 needs <see cref="CanKeepSeveralLogits"/>.
    /// </param>
    public void Forward(ReadOnlySpan<int> ids, ReadOnlyMemory<float> imageFeatures, RunOptions? runOptions = null, RunOptions? decoderRunOptions = null, int logitsToKeep = 1)
    {
        _model.ThrowIfDisposed();
        int s = ids.Length;
        if (s == 0)
        {
            throw new ArgumentException("At least one token is needed.", nameof(ids));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(logitsToKeep);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(logitsToKeep, s);
        if (logitsToKeep > 1 && _keep is null)
        {
            throw new NotSupportedException(
                $"The decoder of '{_model.Directory}' returns the logits of the last position only (it has no '{DecoderSignature.NumLogitsToKeepName}' input), so it cannot verify drafted tokens; convert the model again with this version of Andes.ModelBuilder.");
        }

        int past = Length;
        int total = past + s;
        if (total > _model.ContextLength)
        {
            throw new InvalidOperationException($"The sequence would reach {total} tokens; the model's context holds {_model.ContextLength}.");
        }

        CheckImageFeatures(ids, imageFeatures);
        runOptions ??= DefaultRunOptions;
        InferenceSession decoder = decoderRunOptions is null ? _model.Decoder : _model.LoraDecoder;
        decoderRunOptions ??= runOptions;
        _shared?.EnsureCapacity(total);
        using OrtValue idsValue = _sig.Int32Ids ? Values.From(ref _ids32, ids, static v => v, [1, s]) : Values.From(ref _ids64, ids, static v => v, [1, s]);
        using OrtValue maskValue = _sig.Int32Mask ? Values.Ones(ref _mask32, total) : Values.Ones(ref _mask64, total);
        using OrtValue? positionsValue = _sig.PositionIds is null ? null
            : _sig.Int32Positions ? Values.Range(ref _positions32, past, s) : Values.Range(ref _positions64, past, s);
        OrtValue? embedsValue = null;
        OrtValue? featuresValue = null;
        IDisposableReadOnlyCollection<OrtValue>? results = null;
        try
        {
            if (_sig.InputsEmbeds is not null)
            {
                int h = _sig.HiddenSize;
                if (_embeds.Length < s * h)
                {
                    _embeds = GC.AllocateArray<float>(Math.Max(s * h, _embeds.Length * 2), pinned: true);
                }

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
                long start = Stopwatch.GetTimestamp();
                _model.Embedding!.Run(runOptions, _embeddingInputNames, _embeddingInputs, _embeddingOutputNames, _embeddingOutputs);
                RunTicks += Stopwatch.GetTimestamp() - start;
                _decoderInputs[0] = embedsValue;
            }
            else
            {
                _decoderInputs[0] = idsValue;
            }

            _decoderInputs[1] = maskValue;
            if (positionsValue is not null)
            {
                _decoderInputs[2] = positionsValue;
            }

            if (_keep is not null)
            {
                _keep[0] = logitsToKeep;
                _decoderInputs[_firstPast - 1] = _keepValue!;
            }

            _logitsRows = 1;

            long decoderStart = Stopwatch.GetTimestamp();
            if (_shared is not null)
            {
                _decoderOutputs[0] = logitsToKeep == 1 ? _logitsValue : RowsValue(logitsToKeep);
                for (int i = 0; i < _sig.Layers; i++)
                {
                    _decoderInputs[_firstPast + (2 * i)] = _shared.Keys[i];
                    _decoderInputs[_firstPast + (2 * i) + 1] = _shared.Values[i];
                    _decoderOutputs[1 + (2 * i)] = _shared.Keys[i];
                    _decoderOutputs[2 + (2 * i)] = _shared.Values[i];
                }

                decoder.Run(decoderRunOptions, _decoderInputNames, _decoderInputs, logitsToKeep == 1 ? _decoderOutputNames : _keptOutputNames, _decoderOutputs);
                RunTicks += Stopwatch.GetTimestamp() - decoderStart;
                _shared.Length = total;
                _logitsRows = logitsToKeep;
            }
            else
            {
                IReadOnlyList<OrtValue> pasts = _chained!.Pasts;
                for (int i = 0; i < pasts.Count; i++)
                {
                    _decoderInputs[_firstPast + i] = pasts[i];
                }

                results = decoder.Run(decoderRunOptions, _decoderInputNames, _decoderInputs, logitsToKeep == 1 ? _decoderOutputNames : _keptOutputNames);
                RunTicks += Stopwatch.GetTimestamp() - decoderStart;
                ReadOnlySpan<float> logits = results[0].GetTensorDataAsSpan<float>();
                if (logitsToKeep == 1)
                {
                    logits[^_sig.VocabSize..].CopyTo(_logits);
                }
                else
                {
                    RowsValue(logitsToKeep);
                    logits[^(logitsToKeep * _sig.VocabSize)..].CopyTo(_rows);
                    _logitsRows = logitsToKeep;
                }
                _chained.Accept(results, 1, total);
                results = null; // owned by the cache now
            }
        }
        finally
        {
            results?.Dispose();
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
        _keepValue?.Dispose();
        _rowsValue?.Dispose();
        _noImageFeatures?.Dispose();
        _logitsValue.Dispose();
        _shared?.Dispose();
        _chained?.Dispose();
    }

    /// <summary>The [1, rows, V] output over the pinned rows buffer, grown and re-wrapped only when the row count changes.</summary>
    private OrtValue RowsValue(int rows)
    {
        if (_rowsValue is not null && _rowsValueCount == rows)
        {
            return _rowsValue;
        }

        _rowsValue?.Dispose();
        int needed = rows * _sig.VocabSize;
        if (_rows.Length < needed)
        {
            _rows = GC.AllocateArray<float>(needed, pinned: true);
        }

        _rowsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _rows.AsMemory(0, needed), [1, rows, _sig.VocabSize]);
        _rowsValueCount = rows;
        return _rowsValue;
    }

    private void CheckImageFeatures(ReadOnlySpan<int> ids, ReadOnlyMemory<float> imageFeatures)
    {
        if (imageFeatures.IsEmpty)
        {
            return;
        }

        if (_noImageFeatures is null)
        {
            throw new NotSupportedException("This model's embedding graph takes no image features.");
        }

        if (imageFeatures.Length % _sig.HiddenSize != 0)
        {
            throw new ArgumentException($"Image features of {imageFeatures.Length} values are not whole rows of {_sig.HiddenSize}.", nameof(imageFeatures));
        }

        int pads = 0, padId = _model.ImageTokenId;
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

    /// <summary>Per-call input tensors over reused pinned buffers.</summary>
    private static class Values
    {
        public static OrtValue From<T>(ref T[] buffer, ReadOnlySpan<int> source, Func<int, T> convert, long[] shape)
            where T : unmanaged
        {
            Grow(ref buffer, source.Length);
            for (int i = 0; i < source.Length; i++)
            {
                buffer[i] = convert(source[i]);
            }

            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, source.Length), shape);
        }

        public static OrtValue Ones(ref long[] buffer, int length)
        {
            Grow(ref buffer, length);
            buffer.AsSpan(0, length).Fill(1);
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), [1, length]);
        }

        public static OrtValue Ones(ref int[] buffer, int length)
        {
            Grow(ref buffer, length);
            buffer.AsSpan(0, length).Fill(1);
            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), [1, length]);
        }

        public static OrtValue Range(ref long[] buffer, int start, int count)
        {
            Grow(ref buffer, count);
            for (int i = 0; i < count; i++)
            {
                buffer[i] = start + i;
            }

            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, count), [1, count]);
        }

        public static OrtValue Range(ref int[] buffer, int start, int count)
        {
            Grow(ref buffer, count);
            for (int i = 0; i < count; i++)
            {
                buffer[i] = start + i;
            }

            return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, count), [1, count]);
        }

        private static void Grow<T>(ref T[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                buffer = GC.AllocateArray<T>(Math.Max(length, buffer.Length * 2), pinned: true);
            }
        }
    }
}
