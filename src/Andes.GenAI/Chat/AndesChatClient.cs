using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Andes.GenAI;

/// <summary>
/// An on-device <see cref="IChatClient"/> over an AndesVL model folder: renders the conversation with the chat
/// template, generates with a key/value cache (reused across turns of a conversation), and streams text, reasoning and
/// tool calls back as <see cref="ChatResponseUpdate"/>s.
/// </summary>
/// <remarks>
/// Safe for concurrent use: each request runs its own sequence on the shared model. <c>ChatOptions</c> mapping:
/// <c>Temperature</c> (0 = greedy), <c>TopP</c>, <c>TopK</c>, <c>MaxOutputTokens</c>, <c>StopSequences</c> (may span
/// tokens; never emitted), <c>Seed</c>, <c>FrequencyPenalty</c>, <c>PresencePenalty</c>, <c>Instructions</c>
/// (merged into the system turn), <c>Tools</c>; <c>AdditionalProperties</c>: see <see cref="AndesChatOptionKeys"/>.
/// Unset values take the model folder's generation defaults.
/// <para>
/// 1+N: <c>options.WithSkill("ocr")</c> runs a request as a <see cref="Skill"/> (its instructions, default options and
/// LoRA adapter), <c>options.WithAdapter("name")</c> activates an adapter directly; both come from
/// <see cref="AndesChatClientOptions.Skills"/>/<see cref="AndesChatClientOptions.Adapters"/> or the model folder's
/// <c>skills.json</c>. Concurrent requests may use different adapters; switching reloads nothing, and conversation
/// caches are never shared between adapters.
/// </para>
/// <para>
/// Engines: the model's <see cref="AndesModel.Engine"/> decides what runs the graphs. On
/// <see cref="GenerationEngine.OnnxRuntimeGenAI"/> every request starts a fresh ONNX Runtime GenAI generator (no
/// conversation cache reuse) and LoRA adapters are refused with <see cref="EngineFeatureNotSupportedException"/>;
/// everything else, sampling and constrained decoding included, is the same code on both and gives the same tokens.
/// </para>
/// <para>
/// One client runs one model: <c>ChatOptions.ModelId</c> may be left unset or name this model
/// (<see cref="ChatClientMetadata.DefaultModelId"/>, the folder's name or its full path, ignoring case); another id is an
/// <see cref="ArgumentException"/> naming both, before any token is generated. Requests are logged through
/// <see cref="AndesChatClientOptions.LoggerFactory"/>, else the model's <see cref="AndesModelOptions.LoggerFactory"/>.
/// </para>
/// </remarks>
public sealed class AndesChatClient : IChatClient
{
    private readonly AndesModel _model;
    private readonly bool _ownsModel;
    private readonly AndesChatClientOptions _options;
    private readonly IChatTemplate _template;
    private readonly GenerationOptions _defaults;
    private readonly ConversationCache _cache;
    private readonly ChatClientMetadata _metadata;
    private readonly SkillRegistry? _skills;
    private readonly AdapterRegistry? _adapters;
    private readonly bool _ownsAdapters;
    private readonly ILogger _logger;
    private readonly string _folderPath;

    /// <summary>Creates a client over a loaded model (the caller keeps ownership of it).</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Client options; null for the defaults.</param>
    public AndesChatClient(AndesModel model, AndesChatClientOptions? options = null)
        : this(model, ownsModel: false, options)
    {
    }

    /// <summary>Loads a model folder and creates a client that owns (and disposes) it.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="options">Client options; null for the defaults.</param>
    /// <param name="modelOptions">Session options; null for the folder's.</param>
    public AndesChatClient(string modelDirectory, AndesChatClientOptions? options = null, AndesModelOptions? modelOptions = null)
        : this(AndesModel.Load(modelDirectory, modelOptions), ownsModel: true, options)
    {
    }

    private AndesChatClient(AndesModel model, bool ownsModel, AndesChatClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _ownsModel = ownsModel;
        _options = options?.Clone() ?? new AndesChatClientOptions();
        _template = _options.Template ?? AndesChatTemplate.Default;
        _defaults = _options.DefaultGenerationOptions?.Clone() ?? GenerationOptions.FromSearch(model.Config.Search);
        _defaults.SpeculativeDecoding = _options.SpeculativeDecoding ?? _defaults.SpeculativeDecoding;
        _defaults.Validate();
        if (_defaults.SpeculativeDecoding is not null && model.Engine != GenerationEngine.Andes)
        {
            throw new EngineFeatureNotSupportedException(model.Engine, "speculative decoding", "load the model with the Andes engine to speculate.");
        }
        _skills = _options.Skills ?? SkillRegistry.TryLoadFromModelDirectory(model.Directory);
        _adapters = _options.Adapters;
        // ONNX Runtime GenAI loads no Andes adapters: a request that asks for one gets a typed error instead.
        if (_adapters is null && _skills?.AdapterFiles is { Count: > 0 } files && model.Engine == GenerationEngine.Andes)
        {
            _adapters = LoadAdapters(model, files);
            _ownsAdapters = true;
        }

        _cache = new ConversationCache(model, _options.MaxCachedConversations);
        _folderPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(model.Directory));
        string modelId = _options.ModelId ?? Path.GetFileName(_folderPath);
        _metadata = new ChatClientMetadata("andes", new Uri(_folderPath + Path.DirectorySeparatorChar), modelId);
        _logger = (_options.LoggerFactory ?? model.Options.LoggerFactory)?.CreateLogger(AndesLog.ChatCategory) ?? NullLogger.Instance;
    }

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of the tokens speculative decoding proposed in a response.</summary>
    public const string SpeculativeDraftedCount = "andes.speculative.drafted";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of the proposals accepted in a response.</summary>
    public const string SpeculativeAcceptedCount = "andes.speculative.accepted";

    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key of the decoder passes that produced a response's tokens after the first.</summary>
    public const string SpeculativePassesCount = "andes.speculative.passes";

    /// <summary>The model.</summary>
    public AndesModel Model => _model;

    /// <summary>The adapters requests may activate, or null when there are none.</summary>
    public AdapterRegistry? Adapters => _adapters;

    /// <summary>The skills requests may run as, or null when there are none.</summary>
    public SkillRegistry? Skills => _skills;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        _model.ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        CheckModelId(options?.ModelId);
        long started = Stopwatch.GetTimestamp();

        string? skillName = options.GetSkill();
        if (skillName is not null)
        {
            options = ResolveSkill(skillName).ApplyTo(options);
        }

        string? adapterName = options.GetAdapter();
        ChatPrompt prompt = _template.Render(messages, ChatTemplateOptions.FromChatOptions(options));
        var encoding = new PromptEncodingOptions
        {
            ImageMaxSize = options.GetImageMaxSize() ?? _options.ImageMaxSize,
            DownscaleImagesToFit = _options.DownscaleImagesToFit,
        };
        EncodedPrompt encoded = _model.Encode(prompt, encoding);
        int promptLength = encoded.Length;

        GenerationOptions generation = GenerationOptionsMapper.Map(_defaults, options);
        string responseId = "andes-" + Guid.NewGuid().ToString("N");
        string messageId = "msg-" + Guid.NewGuid().ToString("N")[..16];
        DateTimeOffset created = DateTimeOffset.UtcNow;
        string modelId = _metadata.DefaultModelId!;

        int maxNewTokens = generation.MaxNewTokens ?? (_model.ContextLength - promptLength);
        (ITokenGenerator generator, LoraAdapterLease? lease, long adapterId, bool constrained) = Start(encoded, generation, options, adapterName, maxNewTokens);
        LogStart(responseId, modelId, encoded, maxNewTokens, constrained, skillName, adapterName);
        bool reusable = false;
        long firstToken = 0; // Stopwatch timestamp of the first generated token, for the time-to-first-token and decode-rate log
        try
        {
            long promptStarted = Stopwatch.GetTimestamp();
            using (cancellationToken.Register(generator.Terminate))
            {
                await RunCancellableAsync(() => generator.AppendPrompt(encoded), cancellationToken).ConfigureAwait(false);
            }

            _logger.PromptProcessed(responseId, generator.PromptTokenCount - generator.ReusedTokenCount, generator.ReusedTokenCount, Math.Round(Stopwatch.GetElapsedTime(promptStarted).TotalMilliseconds, 1));
            var streamer = new TextStreamer(generator, generation.StopSequences);
            IChatOutputParser parser = _template.CreateOutputParser(prompt);
            var contents = new List<AIContent>();
            bool madeToolCall = false; // calls stream as soon as they are complete, so not only in the last update
            while (!streamer.IsDone)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string text = await RunCancellableAsync(streamer.Step, cancellationToken).ConfigureAwait(false);
                if (firstToken == 0 && generator.GeneratedTokenCount > 0)
                {
                    firstToken = Stopwatch.GetTimestamp();
                }

                parser.Append(text, contents);
                if (contents.Count > 0)
                {
                    madeToolCall |= contents.Any(c => c is FunctionCallContent);
                    yield return Update(contents, responseId, messageId, created, modelId);
                    contents = [];
                }
            }

            long finished = Stopwatch.GetTimestamp();
            parser.Append(streamer.Complete(), contents);
            parser.Complete(contents);
            ChatFinishReason finish = madeToolCall || contents.Any(c => c is FunctionCallContent) ? ChatFinishReason.ToolCalls : MapFinish(generator.FinishReason);
            var usage = new UsageDetails
            {
                InputTokenCount = generator.PromptTokenCount,
                OutputTokenCount = generator.GeneratedTokenCount,
                TotalTokenCount = generator.PromptTokenCount + generator.GeneratedTokenCount,
                CachedInputTokenCount = generator.ReusedTokenCount,
            };
            if ((generator as Generator)?.SpeculativeDecoding is { } speculation)
            {
                usage.AdditionalCounts = new()
                {
                    [SpeculativeDraftedCount] = speculation.DraftedTokens,
                    [SpeculativeAcceptedCount] = speculation.AcceptedTokens,
                    [SpeculativePassesCount] = speculation.VerificationPasses + speculation.PlainSteps,
                };
            }

            contents.Add(new UsageContent(usage));
            ChatResponseUpdate last = Update(contents, responseId, messageId, created, modelId);
            last.FinishReason = finish;
            if (skillName is not null || adapterName is not null)
            {
                last.AdditionalProperties = [];
                if (skillName is not null)
                {
                    last.AdditionalProperties[AndesChatOptionKeys.Skill] = skillName;
                }

                if (adapterName is not null)
                {
                    last.AdditionalProperties[AndesChatOptionKeys.Adapter] = adapterName;
                }
            }

            reusable = true;
            LogCompleted(responseId, modelId, encoded, generator, started, firstToken, finished, finish, skillName, adapterName);
            yield return last;
        }
        finally
        {
            if (!reusable)
            {
                _logger.RequestEnded(responseId, generator.GeneratedTokenCount, cancellationToken.IsCancellationRequested ? "cancelled" : "failed, or the caller stopped reading");
            }

            if (generator is Generator own)
            {
                if (reusable)
                {
                    _cache.Return(own.DetachRunner(), own.CacheTokens, adapterId);
                }
                else
                {
                    own.DetachRunner().Dispose();
                }
            }

            generator.Dispose();
            lease?.Dispose();
        }
    }

    /// <summary>
    /// Refuses a request for another model: a client runs one model, and answering with it while the caller asked for
    /// another would hide a wiring mistake. Unset, this model's id, the folder's name or its full path are accepted.
    /// </summary>
    private void CheckModelId(string? requested)
    {
        if (string.IsNullOrEmpty(requested)
            || requested.Equals(_metadata.DefaultModelId, StringComparison.OrdinalIgnoreCase)
            || requested.Equals(Path.GetFileName(_folderPath), StringComparison.OrdinalIgnoreCase)
            || (Path.IsPathFullyQualified(requested) && Path.TrimEndingDirectorySeparator(Path.GetFullPath(requested)).Equals(_folderPath, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        throw new ArgumentException(
            $"ChatOptions.ModelId is '{requested}', but this AndesChatClient runs model '{_metadata.DefaultModelId}' (folder '{_folderPath}') and no other: leave ModelId unset or set it to '{_metadata.DefaultModelId}'.",
            "options");
    }

    private void LogStart(string responseId, string modelId, EncodedPrompt encoded, int maxNewTokens, bool constrained, string? skill, string? adapter)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        _logger.RequestStarted(responseId, modelId, EngineFeatureNotSupportedException.EngineName(_model.Engine), encoded.Length, maxNewTokens, constrained, skill, adapter);
        foreach (PromptImage image in encoded.Images)
        {
            _logger.RequestImage(responseId, image.Index, image.Width, image.Height, image.Geometry.ResizedWidth, image.Geometry.ResizedHeight, image.TokenCount);
        }
    }

    private void LogCompleted(
        string responseId, string modelId, EncodedPrompt encoded, ITokenGenerator generator, long started, long firstToken, long finished, ChatFinishReason finish, string? skill, string? adapter)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The first token's time covers the whole request up to it (template, encoding, image features, prompt pass);
        // the decode rate counts the tokens after it over the time after it.
        double timeToFirstToken = firstToken == 0 ? 0 : Stopwatch.GetElapsedTime(started, firstToken).TotalMilliseconds;
        double decodeSeconds = firstToken == 0 ? 0 : Stopwatch.GetElapsedTime(firstToken, finished).TotalSeconds;
        int decoded = generator.GeneratedTokenCount - 1;
        double tokensPerSecond = decoded > 0 && decodeSeconds > 0 ? Math.Round(decoded / decodeSeconds, 1) : 0;
        string perImage = encoded.Images.Count == 0 ? "none" : string.Join(", ", encoded.Images.Select(i => i.TokenCount.ToString(CultureInfo.InvariantCulture)));
        _logger.RequestCompleted(
            responseId, modelId, generator.PromptTokenCount, encoded.ImageTokenCount, encoded.Images.Count, perImage, generator.ReusedTokenCount,
            Math.Round(timeToFirstToken, 1), generator.GeneratedTokenCount, tokensPerSecond, finish.Value, skill, adapter);
    }

    /// <summary>
    /// A sequence on the model's engine for this request, with its adapter lease: on the Andes engine a
    /// <see cref="Generator"/> over a conversation-cache runner (a follow-up turn reuses its prefix); on ONNX Runtime
    /// GenAI a fresh generator per request.
    /// </summary>
    private (ITokenGenerator Sequence, LoraAdapterLease? Lease, long AdapterId, bool Constrained) Start(EncodedPrompt encoded, GenerationOptions generation, ChatOptions? options, string? adapterName, int maxNewTokens)
    {
        ILogitsProcessor[] constraints = CreateConstraints(_model.Tokenizer, options, maxNewTokens);
        if (_model.Engine != GenerationEngine.Andes)
        {
            return (TokenSequences.Create(_model, generation, constraints, adapterName: adapterName), null, 0, constraints.Length > 0);
        }

        LoraAdapterLease? lease = adapterName is null ? null : AcquireAdapter(adapterName);
        long adapterId = lease?.Adapter.Id ?? 0;
        (SequenceRunner runner, IReadOnlyList<int> cachedTokens) = _cache.Rent(encoded.CacheKey, adapterId);
        try
        {
            var generator = new Generator(_model, generation, runner, constraints, lease?.Adapter);
            generator.ReuseCachedPrefix(cachedTokens, encoded.CacheKey);
            return (generator, lease, adapterId, constraints.Length > 0);
        }
        catch
        {
            runner.Dispose();
            lease?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a forward pass off the caller's thread. A pass stopped by cancellation (ONNX Runtime's terminate flag makes
    /// it fail with the runtime's own error) surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    private static async Task<T> RunCancellableAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(work, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            throw new OperationCanceledException("The request was cancelled during a forward pass.", ex, cancellationToken);
        }
    }

    private static Task RunCancellableAsync(Action work, CancellationToken cancellationToken) =>
        RunCancellableAsync(() =>
        {
            work();
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(AndesModel) ? _model
            : serviceType == typeof(AndesTokenizer) ? _model.Tokenizer
            : serviceType == typeof(AndesChatClientOptions) ? _options.Clone()
            : serviceType == typeof(IChatTemplate) ? _template
            : serviceType == typeof(GenAIConfig) ? _model.Config
            : serviceType == typeof(AdapterRegistry) ? _adapters
            : serviceType == typeof(SkillRegistry) ? _skills
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the conversation caches and, when this client loaded the model, the model.</summary>
    public void Dispose()
    {
        _cache.Dispose();
        if (_ownsAdapters)
        {
            _adapters!.Dispose();
        }

        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    /// <summary>
    /// Constrained decoding for what the request requires: a tool call when <c>ToolMode</c> is required (any or a named
    /// function), else JSON (or JSON matching a schema) when <c>ResponseFormat</c> asks for it. Tokens that would break
    /// the grammar are masked, so even a weak model produces a valid call or document.
    /// </summary>
    internal static ILogitsProcessor[] CreateConstraints(AndesTokenizer tokenizer, ChatOptions? options, int maxTokens)
    {
        if (options is null)
        {
            return [];
        }

        if (options.ToolMode is RequiredChatToolMode && options.Tools is { Count: > 0 } tools)
        {
            var toolOptions = new ToolCallConstraintOptions { IgnoreUnsupportedKeywords = true };
            return [ToolCallConstraint.Create(tokenizer, tools, options.ToolMode, toolOptions).CreateProcessor(maxTokens)];
        }

        JsonConstraint? json = JsonConstraint.ForResponseFormat(tokenizer, options.ResponseFormat, new JsonConstraintOptions { IgnoreUnsupportedKeywords = true });
        return json is null ? [] : [json.CreateProcessor(maxTokens)];
    }

    private static AdapterRegistry LoadAdapters(AndesModel model, IReadOnlyDictionary<string, string> files)
    {
        var registry = new AdapterRegistry(model);
        try
        {
            foreach ((string name, string path) in files)
            {
                registry.Load(name, path);
            }
        }
        catch
        {
            registry.Dispose();
            throw;
        }

        return registry;
    }

    private Skill ResolveSkill(string name)
    {
        if (_skills is null)
        {
            throw new ArgumentException(
                $"ChatOptions ask for skill '{name}' but the client has no skills (give AndesChatClientOptions.Skills or put {SkillRegistry.FileName} beside the model '{_model.Directory}').",
                "options");
        }

        return _skills.TryGet(name, out Skill? skill)
            ? skill
            : throw new ArgumentException($"ChatOptions ask for skill '{name}', which is not registered (known: {string.Join(", ", _skills.Skills.Select(s => s.Name))}).", "options");
    }

    private LoraAdapterLease AcquireAdapter(string name)
    {
        if (_adapters is null)
        {
            throw new ArgumentException(
                $"ChatOptions ask for adapter '{name}' but the client has no adapters (give AndesChatClientOptions.Adapters or list them in {SkillRegistry.FileName} beside the model).",
                "options");
        }

        try
        {
            return _adapters.Acquire(name);
        }
        catch (KeyNotFoundException ex)
        {
            throw new ArgumentException($"ChatOptions ask for adapter '{name}': {ex.Message}", "options", ex);
        }
    }

    private static ChatResponseUpdate Update(List<AIContent> contents, string responseId, string messageId, DateTimeOffset created, string modelId) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = messageId,
            CreatedAt = created,
            ModelId = modelId,
        };

    private static ChatFinishReason MapFinish(FinishReason? reason) => reason switch
    {
        FinishReason.Length or FinishReason.ContextLimit => ChatFinishReason.Length,
        _ => ChatFinishReason.Stop,
    };
}
