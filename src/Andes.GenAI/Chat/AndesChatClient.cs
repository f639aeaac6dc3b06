using System.Runtime.CompilerServices;
using Andes.GenAI.Generation;
using Andes.GenAI.Generation.Constraints;
using Andes.GenAI.Generation.Sampling;
using Andes.GenAI.Generation.Stopping;
using Andes.GenAI.Models;
using Andes.GenAI.Prompts;
using Andes.GenAI.Runtime;
using Andes.GenAI.Tokenization;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Chat;

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
        _defaults = _options.DefaultGenerationOptions ?? GenerationOptions.FromSearch(model.Config.Search);
        _defaults.Validate();
        _cache = new ConversationCache(model, _options.MaxCachedConversations);
        string modelId = _options.ModelId ?? Path.GetFileName(model.Directory.TrimEnd(Path.DirectorySeparatorChar));
        _metadata = new ChatClientMetadata("andes", new Uri(Path.GetFullPath(model.Directory) + Path.DirectorySeparatorChar), modelId);
    }

    /// <summary>The model.</summary>
    public AndesModel Model => _model;

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

        ChatPrompt prompt = _template.Render(messages, ChatTemplateOptions.FromChatOptions(options));
        int[] promptIds = _model.EncodePrompt(prompt);
        if (promptIds.Length >= _model.ContextLength)
        {
            throw new PromptTooLongException(promptIds.Length, _model.ContextLength);
        }

        GenerationOptions generation = GenerationOptionsMapper.Map(_defaults, options);
        string responseId = "andes-" + Guid.NewGuid().ToString("N");
        string messageId = "msg-" + Guid.NewGuid().ToString("N")[..16];
        DateTimeOffset created = DateTimeOffset.UtcNow;
        string modelId = _metadata.DefaultModelId!;

        (SequenceRunner runner, IReadOnlyList<int> cachedTokens) = _cache.Rent(promptIds);
        ILogitsProcessor[] constraints = CreateConstraints(options, generation.MaxNewTokens ?? (_model.ContextLength - promptIds.Length));
        var generator = new Generator(_model, generation, runner, constraints);
        bool reusable = false;
        try
        {
            generator.ReuseCachedPrefix(cachedTokens, promptIds);
            using (cancellationToken.Register(generator.Terminate))
            {
                await Task.Run(() => generator.AppendTokens(promptIds), cancellationToken).ConfigureAwait(false);
            }

            var streamer = new TextStreamer(generator, generation.StopSequences);
            IChatOutputParser parser = _template.CreateOutputParser(prompt);
            var contents = new List<AIContent>();
            while (!streamer.IsDone)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string text = await Task.Run(streamer.Step, cancellationToken).ConfigureAwait(false);
                parser.Append(text, contents);
                if (contents.Count > 0)
                {
                    yield return Update(contents, responseId, messageId, created, modelId);
                    contents = [];
                }
            }

            parser.Append(streamer.Complete(), contents);
            parser.Complete(contents);
            ChatFinishReason finish = contents.Any(c => c is FunctionCallContent) ? ChatFinishReason.ToolCalls : MapFinish(generator.FinishReason);
            var usage = new UsageDetails
            {
                InputTokenCount = generator.PromptTokenCount,
                OutputTokenCount = generator.GeneratedTokenCount,
                TotalTokenCount = generator.PromptTokenCount + generator.GeneratedTokenCount,
                CachedInputTokenCount = generator.ReusedTokenCount,
            };
            contents.Add(new UsageContent(usage));
            ChatResponseUpdate last = Update(contents, responseId, messageId, created, modelId);
            last.FinishReason = finish;
            reusable = true;
            yield return last;
        }
        finally
        {
            if (reusable)
            {
                _cache.Return(generator.DetachRunner(), generator.Tokens);
            }
            else
            {
                generator.DetachRunner().Dispose();
            }

            generator.Dispose();
        }
    }

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
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the conversation caches and, when this client loaded the model, the model.</summary>
    public void Dispose()
    {
        _cache.Dispose();
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
    private ILogitsProcessor[] CreateConstraints(ChatOptions? options, int maxTokens)
    {
        if (options is null)
        {
            return [];
        }

        if (options.ToolMode is RequiredChatToolMode && options.Tools is { Count: > 0 } tools)
        {
            var toolOptions = new ToolCallConstraintOptions { IgnoreUnsupportedKeywords = true };
            return [ToolCallConstraint.Create(_model.Tokenizer, tools, options.ToolMode, toolOptions).CreateProcessor(maxTokens)];
        }

        JsonConstraint? json = JsonConstraint.ForResponseFormat(_model.Tokenizer, options.ResponseFormat, new JsonConstraintOptions { IgnoreUnsupportedKeywords = true });
        return json is null ? [] : [json.CreateProcessor(maxTokens)];
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
