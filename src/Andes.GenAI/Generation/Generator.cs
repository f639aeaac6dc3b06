using System.Diagnostics;
using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// Generates the tokens of one sequence: append prompt tokens (one forward pass over them, filling the key/value
/// cache), then call <see cref="GenerateNextToken"/> until <see cref="IsDone"/>. Each generated token costs one
/// single-token decoder run; the cache is appended in place, never copied per token.
/// </summary>
/// <remarks>
/// Not thread-safe: one generator per sequence. Many generators may share one <see cref="AndesModel"/> concurrently,
/// each with its own LoRA adapter (or none): the adapter is activated on this generator's own run options, so switching
/// adapters between requests reloads nothing.
/// </remarks>
public sealed partial class Generator : IDisposable, ITokenGenerator
{
    private readonly AndesModel _model;
    private readonly GenerationOptions _options;
    private readonly SequenceRunner _runner;
    private readonly LogitsSampler _sampler;
    private readonly StopConditions _stops;
    private readonly List<int> _tokens = [];
    private readonly List<int> _cacheTokens = [];
    private readonly RunOptions _runOptions = new();
    private volatile bool _terminated;
    private readonly RunOptions? _decoderRunOptions;
    private readonly long _runTicksAtStart;
    private bool _logitsReady;
    private bool _ownsRunner;
    private bool _released;

    /// <summary>Creates a generator with a fresh key/value cache.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Sampling and stopping options.</param>
    /// <param name="processors">Extra logits processors applied before sampling (e.g. a grammar mask).</param>
    public Generator(AndesModel model, GenerationOptions options, IEnumerable<ILogitsProcessor>? processors = null)
        : this(model, options, (SequenceRunner?)null, processors)
    {
    }

    /// <summary>Creates a generator with a fresh key/value cache that runs the decoder with a LoRA adapter active.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Sampling and stopping options.</param>
    /// <param name="adapter">The adapter (loaded for this model), or null for the base model. The generator holds a reference until disposed, so unloading the adapter meanwhile is deferred.</param>
    /// <param name="processors">Extra logits processors applied before sampling.</param>
    /// <exception cref="ObjectDisposedException">The adapter was unloaded.</exception>
    /// <exception cref="ArgumentException">The adapter was loaded for a model with other LoRA inputs.</exception>
    public Generator(AndesModel model, GenerationOptions options, LoraAdapter? adapter, IEnumerable<ILogitsProcessor>? processors = null)
        : this(model, options, null, processors, adapter)
    {
    }

    internal Generator(AndesModel model, GenerationOptions options, SequenceRunner? runner, IEnumerable<ILogitsProcessor>? processors, LoraAdapter? adapter = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.ThrowIfDisposed();
        options.Validate();
        if (adapter is not null)
        {
            if (!adapter.FitsModel(model))
            {
                throw new ArgumentException($"Adapter '{adapter.Name}' was loaded for another model than '{model.Directory}'.", nameof(adapter));
            }

            adapter.AddReference(); // throws when the adapter was unloaded
        }

        try
        {
            _model = model;
            _options = options.Clone();
            _ownsRunner = runner is null;
            _runner = runner ?? new SequenceRunner(model, Math.Min(model.ContextLength, 512));
            _sampler = new LogitsSampler(_options, model.Signature.VocabSize, processors);
            _stops = new StopConditions(model.Config.Model.EosTokenId, _options, model.ContextLength);
            _runTicksAtStart = _runner.RunTicks;
            if (adapter is not null)
            {
                _decoderRunOptions = new RunOptions();
                _decoderRunOptions.AddActiveLoraAdapter(adapter.Handle);
                Adapter = adapter;
            }

            _speculation = _options.SpeculativeDecoding is { } speculative ? Speculation.Create(speculative, model, _options, _runner) : null;
        }
        catch
        {
            _decoderRunOptions?.Dispose();
            adapter?.Release();
            if (_ownsRunner)
            {
                _runner?.Dispose();
            }

            throw;
        }
    }

    /// <summary>The tokens of the sequence so far (prompt and generated).</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    /// <summary>Tokens appended with <see cref="AppendTokens(ReadOnlySpan{int})"/>.</summary>
    public int PromptTokenCount { get; private set; }

    /// <summary>Tokens generated.</summary>
    public int GeneratedTokenCount { get; private set; }

    /// <summary>Prompt tokens whose keys/values came from a reused cache instead of being computed.</summary>
    public int ReusedTokenCount { get; private set; }

    /// <summary>Whether generation has finished (see <see cref="FinishReason"/>).</summary>
    public bool IsDone => FinishReason is not null;

    /// <summary>Why generation finished, or null while it goes on.</summary>
    public FinishReason? FinishReason { get; private set; }

    /// <summary>The model.</summary>
    public AndesModel Model => _model;

    /// <summary>The LoRA adapter active on the decoder, or null for the base model.</summary>
    public LoraAdapter? Adapter { get; }

    /// <summary>Time spent inside ONNX Runtime's Run calls (embedding and decoder) for this sequence so far.</summary>
    public TimeSpan ModelRunTime => Stopwatch.GetElapsedTime(0, _runner.RunTicks - _runTicksAtStart);

    /// <summary>
    /// The next-token logits (valid after <see cref="AppendTokens(ReadOnlySpan{int})"/> and after each non-final token).
    /// With speculative decoding, only before the first token: tokens are then decided several per pass.
    /// </summary>
    public ReadOnlySpan<float> GetLogits() => _logitsReady && (_speculation is null || GeneratedTokenCount == 0)
        ? _runner.Logits
        : throw new InvalidOperationException(_speculation is null || GeneratedTokenCount == 0 ? "No logits yet: append tokens first." : "With speculative decoding, the logits are not kept per token.");

    internal SequenceRunner Runner => _runner;

    /// <summary>The tokens with image placeholders replaced by content-derived keys (see <see cref="EncodedPrompt.CacheKey"/>): what a conversation cache compares.</summary>
    internal IReadOnlyList<int> CacheTokens => _cacheTokens;

    /// <summary>Appends prompt tokens and runs them through the model (one chunk).</summary>
    /// <param name="tokens">The tokens.</param>
    /// <exception cref="PromptTooLongException">The sequence would not fit the context (checked before any compute).</exception>
    /// <exception cref="ArgumentException">The tokens hold image placeholders (use an overload that gives their features).</exception>
    public void AppendTokens(ReadOnlySpan<int> tokens) => AppendTokens(tokens, ReadOnlyMemory<float>.Empty);

    /// <summary>
    /// Appends prompt tokens with the image features of their <c>&lt;|vision_pad|&gt;</c> placeholders (one chunk), for
    /// callers that build ids themselves; see <see cref="AppendPrompt"/> for rendered prompts.
    /// </summary>
    /// <param name="tokens">The tokens.</param>
    /// <param name="imageFeatures">One row of the hidden size per placeholder in <paramref name="tokens"/>, in order (for example <see cref="ImageFeatures.Values"/> of <see cref="AndesModel.EncodeImage"/>, concatenated); empty for none.</param>
    /// <exception cref="PromptTooLongException">The sequence would not fit the context (checked before any compute).</exception>
    /// <exception cref="ArgumentException">The features are not one row per placeholder.</exception>
    public void AppendTokens(ReadOnlySpan<int> tokens, ReadOnlyMemory<float> imageFeatures)
    {
        int h = _model.Signature.HiddenSize;
        int pads = CountPads(tokens);
        if (imageFeatures.Length != pads * h)
        {
            throw new ArgumentException(
                $"The tokens hold {pads} image placeholder(s) ({ImageTokenId}), which need {pads} feature rows of {h}; {imageFeatures.Length} values were given.",
                nameof(imageFeatures));
        }

        if (pads > 0 && _speculation?.Drafter is DraftModelDrafter)
        {
            throw new NotSupportedException("A draft model needs the prompt's images, not their features: append the prompt with AppendPrompt.");
        }

        AppendCore(tokens, tokens, pads == 0 ? null : firstPad => imageFeatures[(firstPad * h)..]);
    }

    /// <summary>
    /// Appends an encoded prompt (text and images, see <see cref="AndesModel.Encode(ChatPrompt, PromptEncodingOptions?)"/>) and runs it. Image features are
    /// taken from the model's feature cache or computed now, and only for images whose placeholders are actually run
    /// (not for those inside a reused cached prefix).
    /// </summary>
    /// <param name="prompt">The prompt, encoded by this generator's model.</param>
    /// <exception cref="PromptTooLongException">The sequence would not fit the context (checked before any compute).</exception>
    /// <exception cref="InvalidImageException">An image fails to decode.</exception>
    public void AppendPrompt(EncodedPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _speculation?.Drafter.AddPrompt(prompt, _tokens.Count);
        AppendCore(prompt.IdArray, prompt.CacheKey, prompt.Images.Count == 0 ? null : firstPad => GatherFeatures(prompt, firstPad));
    }

    private void AppendCore(ReadOnlySpan<int> tokens, ReadOnlySpan<int> cacheKey, Func<int, ReadOnlyMemory<float>>? featuresFrom)
    {
        ThrowIfDone();
        if (GeneratedTokenCount > 0)
        {
            throw new InvalidOperationException("Prompt tokens cannot be appended after generation started.");
        }

        if (tokens.IsEmpty)
        {
            return;
        }

        int total = _tokens.Count + tokens.Length;
        if (total >= _model.ContextLength)
        {
            throw new PromptTooLongException(total, _model.ContextLength);
        }

        int vocab = _model.Signature.VocabSize;
        foreach (int t in tokens)
        {
            if ((uint)t >= (uint)vocab)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), t, $"Token id {t} is outside the model's vocabulary (0..{vocab - 1}).");
            }
        }

        // Keys/values already cached for a prefix of this sequence are reused (see ReuseCachedPrefix).
        int cached = _runner.Length - _tokens.Count;
        int skip = cached > 0 ? Math.Min(cached, tokens.Length - 1) : 0;
        ReadOnlySpan<int> toRun = tokens[skip..];
        ReadOnlyMemory<float> features;
        try
        {
            features = featuresFrom is null || CountPads(toRun) == 0 ? default : featuresFrom(CountPads(tokens[..skip])); // the vision pass, if any
        }
        catch (Exception e) when (_terminated && e is not OperationCanceledException)
        {
            throw Terminated(e);
        }

        _tokens.AddRange(tokens);
        _cacheTokens.AddRange(cacheKey);
        _sampler.AddPromptTokens(tokens);
        PromptTokenCount += tokens.Length;
        _runner.Rewind(_tokens.Count - toRun.Length);

        // Room for the tokens to come (up to 256 ahead; beyond that the cache doubles when needed), so the first decode
        // steps do not pay for growing and copying the whole cache.
        _runner.Reserve(_tokens.Count + Math.Min(_stops.MaxNewTokens, 256));
        try
        {
            _runner.Forward(toRun, features, _runOptions, _decoderRunOptions);
        }
        catch (Exception e) when (_terminated && e is not OperationCanceledException)
        {
            throw Terminated(e);
        }

        _logitsReady = true;
    }

    /// <summary>The feature rows of the prompt's placeholders from the <paramref name="firstPad"/>-th on, images encoded as needed.</summary>
    private ReadOnlyMemory<float> GatherFeatures(EncodedPrompt prompt, int firstPad)
    {
        int h = _model.Signature.HiddenSize;
        var parts = new List<ReadOnlyMemory<float>>();
        int seen = 0, rows = 0;
        foreach (PromptImage image in prompt.Images)
        {
            int from = Math.Max(0, firstPad - seen);
            seen += image.TokenCount;
            if (from >= image.TokenCount)
            {
                continue;
            }

            ReadOnlyMemory<float> values = _model.GetImageFeatures(image, _runOptions).Values;
            parts.Add(values[(from * h)..]);
            rows += image.TokenCount - from;
        }

        return JoinFeatureRows(parts, rows * h);
    }

    /// <summary>Feature rows of several images as one block: the only part itself, or a copy of all of them in order.</summary>
    internal static ReadOnlyMemory<float> JoinFeatureRows(List<ReadOnlyMemory<float>> parts, int length)
    {
        if (parts.Count <= 1)
        {
            return parts.Count == 0 ? default : parts[0];
        }

        float[] all = GC.AllocateUninitializedArray<float>(length);
        int offset = 0;
        foreach (ReadOnlyMemory<float> part in parts)
        {
            part.Span.CopyTo(all.AsSpan(offset));
            offset += part.Length;
        }

        return all;
    }

    private int ImageTokenId => _model.ImageTokenId;

    private int CountPads(ReadOnlySpan<int> tokens) => tokens.Count(ImageTokenId);

    /// <summary>Samples the next token from the current logits, appends it and, unless that ends the sequence, runs it.</summary>
    /// <returns>The token.</returns>
    public int GenerateNextToken()
    {
        ThrowIfDone();
        if (_speculation is not null)
        {
            return NextSpeculativeToken(_speculation);
        }

        if (!_logitsReady)
        {
            throw new InvalidOperationException("Append prompt tokens before generating.");
        }

        int token = SampleChecked(_runner.Logits);
        _logitsReady = false;
        _sampler.Accept(token);
        _tokens.Add(token);
        _cacheTokens.Add(token);
        GeneratedTokenCount++;
        FinishReason = _stops.Check(token, GeneratedTokenCount, _tokens.Count);
        if (FinishReason is null)
        {
            try
            {
                _runner.Forward([token], _runOptions, _decoderRunOptions);
            }
            catch (Exception e) when (_terminated && e is not OperationCanceledException)
            {
                throw Terminated(e);
            }

            _logitsReady = true;
        }

        return token;
    }

    /// <summary>Ends generation early with the given reason (e.g. a stop sequence matched in the text).</summary>
    /// <param name="reason">Why.</param>
    public void Finish(FinishReason reason) => FinishReason ??= reason;

    /// <summary>Releases the key/value cache and the sampler's buffers.</summary>
    public void Dispose()
    {
        _speculation?.Dispose();
        _sampler.Dispose();
        _runOptions.Dispose();
        if (_ownsRunner)
        {
            _runner.Dispose();
        }

        if (_decoderRunOptions is not null && !_released)
        {
            _released = true;
            _decoderRunOptions.Dispose();
            Adapter!.Release();
        }
    }

    /// <summary>
    /// Starts from a runner that already holds the keys/values of <paramref name="cachedTokens"/>: the longest common
    /// prefix with the prompt appended next is not recomputed.
    /// </summary>
    internal void ReuseCachedPrefix(IReadOnlyList<int> cachedTokens, ReadOnlySpan<int> prompt)
    {
        int common = 0;
        int limit = Math.Min(Math.Min(cachedTokens.Count, prompt.Length), _runner.Length);
        while (common < limit && cachedTokens[common] == prompt[common])
        {
            common++;
        }

        _runner.Rewind(common);
        ReusedTokenCount = Math.Min(common, Math.Max(0, prompt.Length - 1));
    }

    /// <summary>Transfers ownership of the runner (its cache) to the caller.</summary>
    internal SequenceRunner DetachRunner()
    {
        _ownsRunner = false;
        return _runner;
    }

    /// <summary>Requests that a running forward pass stop (ONNX Runtime's terminate flag).</summary>
    void ITokenGenerator.Terminate() => Terminate();

    /// <summary>
    /// Requests that a running forward pass stop (ONNX Runtime's terminate flag); the pass, and any later one, then
    /// throws <see cref="OperationCanceledException"/> rather than ONNX Runtime's own error.
    /// </summary>
    internal void Terminate()
    {
        _terminated = true;
        _runOptions.Terminate = true;
        if (_decoderRunOptions is not null)
        {
            _decoderRunOptions.Terminate = true;
        }
    }

    /// <summary>
    /// The error for NaN logits, naming what produced them: the model folder and the adapter (NaN weights that slipped
    /// past the load check, a broken graph, or a logits processor).
    /// </summary>
    internal static InvalidOperationException NonFiniteLogits(AndesModel model, LoraAdapter? adapter, int position, Exception inner) => new(
        $"Model '{model.Directory}' produced NaN logits at position {position} "
        + (adapter is null ? "with no LoRA adapter" : $"with LoRA adapter '{adapter.Name}' ({adapter.SourcePath})")
        + ": its weights or graph are broken (a logits processor can also cause this).",
        inner);

    /// <summary>Samples from the logits; NaN logits become the error naming the model and adapter.</summary>
    private int SampleChecked(Span<float> logits)
    {
        try
        {
            return _sampler.Sample(logits);
        }
        catch (ArgumentException e) when (float.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum(logits)))
        {
            throw NonFiniteLogits(_model, Adapter, _tokens.Count, e);
        }
    }

    private static OperationCanceledException Terminated(Exception inner) =>
        new("The generation was cancelled during a forward pass.", inner);

    private void ThrowIfDone()
    {
        if (IsDone)
        {
            throw new InvalidOperationException($"Generation has finished ({FinishReason}).");
        }
    }
}
