using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Andes.SemanticKernel.Agents;

/// <summary>
/// An <see cref="AIAgent"/> (Microsoft Agent Framework) over any <see cref="IChatClient"/>, typically an Andes on-device
/// model: instructions, tools that are really invoked, and sessions that hold the conversation and serialise to JSON.
/// </summary>
/// <remarks>
/// <para>Each run sends the session's history plus the new messages, with the agent's instructions and tools, through the
/// chat client wrapped in M.E.AI's <see cref="FunctionInvokingChatClient"/> (unless the client already has one), so
/// tool calls are executed and their results fed back until the model answers. The new messages and every response
/// message (calls, results, answer) are then added to the session's history, which lives in the session's state bag
/// (<c>session.TryGetInMemoryChatHistory(out var messages)</c> reads it; <c>SetInMemoryChatHistory</c> replaces it). A
/// failed or abandoned run leaves the session as it was.</para>
/// <para>Thread-safe: one agent can serve many sessions at once; a session serves one run at a time.</para>
/// </remarks>
public sealed class AndesAgent : AIAgent
{
    private const string StateBagProperty = "stateBag";

    private readonly AndesAgentOptions _options;
    private readonly IChatClient _chatClient;
    private readonly AIAgentMetadata _metadata;

    /// <summary>Creates an agent over <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The chat client (the caller keeps ownership of it).</param>
    /// <param name="options">The agent's options; null for none.</param>
    /// <param name="loggerFactory">Logs function invocations, when the agent adds function invocation.</param>
    /// <param name="services">Services handed to the functions it invokes.</param>
    public AndesAgent(IChatClient chatClient, AndesAgentOptions? options = null, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _options = options?.Clone() ?? new AndesAgentOptions();
        _chatClient = chatClient.GetService<FunctionInvokingChatClient>() is null
            ? new FunctionInvokingChatClient(chatClient, loggerFactory, services)
            : chatClient;
        _metadata = new AIAgentMetadata(chatClient.GetService<ChatClientMetadata>()?.ProviderName ?? "andes");
    }

    /// <summary>Creates an agent over <paramref name="chatClient"/> with instructions and tools.</summary>
    /// <param name="chatClient">The chat client (the caller keeps ownership of it).</param>
    /// <param name="instructions">The system instructions.</param>
    /// <param name="name">The agent's name.</param>
    /// <param name="description">What the agent does.</param>
    /// <param name="tools">The tools the model may call.</param>
    public AndesAgent(IChatClient chatClient, string? instructions, string? name = null, string? description = null, IList<AITool>? tools = null)
        : this(chatClient, new AndesAgentOptions { Instructions = instructions, Name = name, Description = description, Tools = tools })
    {
    }

    /// <summary>The chat client requests go through (with function invocation).</summary>
    public IChatClient ChatClient => _chatClient;

    /// <summary>The system instructions.</summary>
    public string? Instructions => _options.Instructions;

    /// <summary>The tools the model may call.</summary>
    public IReadOnlyList<AITool> Tools => _options.Tools is null ? [] : [.. _options.Tools];

    /// <inheritdoc />
    public override string? Name => _options.Name;

    /// <inheritdoc />
    public override string? Description => _options.Description;

    /// <inheritdoc />
    protected override string? IdCore => _options.Id;

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return base.GetService(serviceType, serviceKey)
            ?? (serviceKey is null && serviceType == typeof(AIAgentMetadata) ? _metadata : null)
            ?? _chatClient.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default)
        => new(new AndesAgentSession());

    /// <summary>Serialises an <see cref="AndesAgentSession"/> as <c>{"stateBag": {...}}</c>.</summary>
    /// <param name="session">The session.</param>
    /// <param name="jsonSerializerOptions">Unused: the state bag's values serialise with the options they were stored with.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The session as JSON.</returns>
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
    {
        AndesAgentSession own = AsOwnSession(session);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(StateBagProperty);
            own.StateBag.Serialize().WriteTo(writer);
            writer.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return new(document.RootElement.Clone());
    }

    /// <summary>Restores a session serialised by <see cref="AIAgent.SerializeSessionAsync"/>.</summary>
    /// <param name="serializedState">The JSON.</param>
    /// <param name="jsonSerializerOptions">Unused.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The session.</returns>
    /// <exception cref="JsonException">The JSON is not an object with an object <c>stateBag</c>.</exception>
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
    {
        if (serializedState.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A serialised Andes agent session is a JSON object, not {serializedState.ValueKind}.");
        }

        AgentSessionStateBag stateBag = new();
        if (serializedState.TryGetProperty(StateBagProperty, out JsonElement bag) && bag.ValueKind != JsonValueKind.Null)
        {
            if (bag.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"The \"{StateBagProperty}\" of a serialised Andes agent session must be a JSON object, not {bag.ValueKind}.");
            }

            stateBag = AgentSessionStateBag.Deserialize(bag);
        }

        return new(new AndesAgentSession(stateBag));
    }

    /// <inheritdoc />
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        AndesAgentSession own = await GetOrCreateSessionAsync(session, cancellationToken).ConfigureAwait(false);
        (List<ChatMessage> request, ChatOptions chatOptions) = Prepare(messages, own, options);

        ChatResponse response = await _chatClient.GetResponseAsync(request, chatOptions, cancellationToken).ConfigureAwait(false);
        Remember(own, request, response.Messages);
        return new AgentResponse(response) { AgentId = Id };
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        AndesAgentSession own = await GetOrCreateSessionAsync(session, cancellationToken).ConfigureAwait(false);
        (List<ChatMessage> request, ChatOptions chatOptions) = Prepare(messages, own, options);

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in _chatClient.GetStreamingResponseAsync(request, chatOptions, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return new AgentResponseUpdate(update) { AgentId = Id };
        }

        // Only a stream that ran to the end changes the session.
        Remember(own, request, updates.ToChatResponse().Messages);
    }

    private static AndesAgentSession AsOwnSession(AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session as AndesAgentSession
            ?? throw new ArgumentException($"An AndesAgent runs with sessions it created (AndesAgentSession), not {session.GetType().Name}.", nameof(session));
    }

    private async ValueTask<AndesAgentSession> GetOrCreateSessionAsync(AgentSession? session, CancellationToken cancellationToken) =>
        session is null ? (AndesAgentSession)await CreateSessionAsync(cancellationToken).ConfigureAwait(false) : AsOwnSession(session);

    private (List<ChatMessage> Request, ChatOptions Options) Prepare(IEnumerable<ChatMessage> messages, AndesAgentSession session, AgentRunOptions? runOptions)
    {
        List<ChatMessage> request = session.TryGetInMemoryChatHistory(out List<ChatMessage>? history) ? [.. history] : [];
        request.AddRange(messages);
        return (request, BuildChatOptions(runOptions));
    }

    private ChatOptions BuildChatOptions(AgentRunOptions? runOptions)
    {
        ChatOptions options = _options.ChatOptions?.Clone() ?? new ChatOptions();
        options.Instructions = Join(_options.Instructions, options.Instructions);
        options.Tools = [.. _options.Tools ?? [], .. options.Tools ?? []];

        if (runOptions is AndesAgentRunOptions { ChatOptions: { } run })
        {
            Merge(options, run);
        }

        if (runOptions?.ResponseFormat is { } format)
        {
            options.ResponseFormat = format;
        }

        if (runOptions?.AdditionalProperties is { Count: > 0 } extra)
        {
            options.AdditionalProperties ??= [];
            foreach (KeyValuePair<string, object?> pair in extra)
            {
                options.AdditionalProperties[pair.Key] = pair.Value;
            }
        }

        if (options.Tools.Count == 0)
        {
            options.Tools = null;
        }

        return options;
    }

    private static void Merge(ChatOptions target, ChatOptions run)
    {
        target.Instructions = Join(target.Instructions, run.Instructions);
        if (run.Tools is { Count: > 0 } tools)
        {
            target.Tools = [.. target.Tools ?? [], .. tools];
        }

        target.Temperature = run.Temperature ?? target.Temperature;
        target.TopP = run.TopP ?? target.TopP;
        target.TopK = run.TopK ?? target.TopK;
        target.MaxOutputTokens = run.MaxOutputTokens ?? target.MaxOutputTokens;
        target.Seed = run.Seed ?? target.Seed;
        target.FrequencyPenalty = run.FrequencyPenalty ?? target.FrequencyPenalty;
        target.PresencePenalty = run.PresencePenalty ?? target.PresencePenalty;
        target.StopSequences = run.StopSequences ?? target.StopSequences;
        target.ResponseFormat = run.ResponseFormat ?? target.ResponseFormat;
        target.ToolMode = run.ToolMode ?? target.ToolMode;
        target.AllowMultipleToolCalls = run.AllowMultipleToolCalls ?? target.AllowMultipleToolCalls;
        target.ModelId = run.ModelId ?? target.ModelId;
        target.Reasoning = run.Reasoning ?? target.Reasoning;
        if (run.AdditionalProperties is { Count: > 0 } extra)
        {
            target.AdditionalProperties ??= [];
            foreach (KeyValuePair<string, object?> pair in extra)
            {
                target.AdditionalProperties[pair.Key] = pair.Value;
            }
        }
    }

    private static string? Join(string? first, string? second) =>
        string.IsNullOrEmpty(first) ? second
        : string.IsNullOrEmpty(second) ? first
        : first + "\n" + second;

    private static void Remember(AndesAgentSession session, List<ChatMessage> request, IList<ChatMessage> response) =>
        session.SetInMemoryChatHistory([.. request, .. response]);
}
