using Microsoft.Extensions.Logging;

namespace Andes.GenAI;

/// <summary>
/// The engine's log messages, source-generated: each method checks <see cref="ILogger.IsEnabled"/> before it formats
/// anything, so a disabled level costs a call and no allocation. Nothing here is called per generated token.
/// Event ids: 1xxx model loading, 2xxx chat requests.
/// </summary>
internal static partial class AndesLog
{
    /// <summary>The category of the model's messages (loading, sessions, execution providers).</summary>
    public const string ModelCategory = "Andes.GenAI.AndesModel";

    /// <summary>The category of the chat client's per-request messages.</summary>
    public const string ChatCategory = "Andes.GenAI.AndesChatClient";

    [LoggerMessage(EventId = 1001, EventName = "ModelLoaded", Level = LogLevel.Information,
        Message = "Loaded model {Directory} on the {Engine} engine in {ElapsedMs} ms: {Files} ({TotalBytes} bytes); execution providers {ExecutionProviders}; intra-op threads {IntraOpThreads}")]
    public static partial void ModelLoaded(this ILogger logger, string directory, string engine, long elapsedMs, string files, long totalBytes, string executionProviders, string intraOpThreads);

    [LoggerMessage(EventId = 1002, EventName = "ModelLoadStep", Level = LogLevel.Debug,
        Message = "Loading {Directory}: {Stage} {File} ({Bytes} bytes) at {ElapsedMs} ms")]
    public static partial void ModelLoadStep(this ILogger logger, string directory, ModelLoadStage stage, string? file, long bytes, long elapsedMs);

    [LoggerMessage(EventId = 1003, EventName = "SessionCreated", Level = LogLevel.Debug,
        Message = "Loading {Directory}: created the {Section} session from {File} ({Bytes} bytes) in {SessionMs} ms with execution providers {ExecutionProviders} and intra-op threads {IntraOpThreads}")]
    public static partial void SessionCreated(this ILogger logger, string directory, string section, string file, long bytes, long sessionMs, string executionProviders, string intraOpThreads);

    [LoggerMessage(EventId = 1004, EventName = "ModelConfiguration", Level = LogLevel.Debug,
        Message = "Loading {Directory}: model type {ModelType}, context {ContextLength} tokens, vocabulary {VocabularySize}, {LayerCount} layers, vision graph {HasVision}, embedding graph {HasEmbedding}")]
    public static partial void ModelConfiguration(this ILogger logger, string directory, string modelType, int contextLength, int vocabularySize, int layerCount, bool hasVision, bool hasEmbedding);

    [LoggerMessage(EventId = 1005, EventName = "ModelLoadCancelled", Level = LogLevel.Information,
        Message = "Loading {Directory} was cancelled at {ElapsedMs} ms; the {CreatedCount} runtime objects created so far were disposed")]
    public static partial void ModelLoadCancelled(this ILogger logger, string directory, long elapsedMs, int createdCount);

    [LoggerMessage(EventId = 1006, EventName = "ModelLoadFailed", Level = LogLevel.Debug,
        Message = "Loading {Directory} failed at {ElapsedMs} ms; the {CreatedCount} runtime objects created so far were disposed")]
    public static partial void ModelLoadFailed(this ILogger logger, Exception exception, string directory, long elapsedMs, int createdCount);

    [LoggerMessage(EventId = 1007, EventName = "ExecutionProviderFallback", Level = LogLevel.Warning,
        Message = "Execution provider {Provider} is not in the installed ONNX Runtime ({Available}); falling back to CPU ({Section})")]
    public static partial void ExecutionProviderFallback(this ILogger logger, string provider, string available, string section);

    [LoggerMessage(EventId = 1008, EventName = "LoraDecoderOpened", Level = LogLevel.Information,
        Message = "Model {Directory}: opened the LoRA decoder {File} ({Bytes} bytes) on first use in {ElapsedMs} ms")]
    public static partial void LoraDecoderOpened(this ILogger logger, string directory, string file, long bytes, long elapsedMs);

    [LoggerMessage(EventId = 2001, EventName = "RequestCompleted", Level = LogLevel.Information,
        Message = "Request {ResponseId} on {ModelId}: {PromptTokens} prompt tokens (images: {ImageCount}, image tokens: {ImageTokens}, per image: {ImageTokensPerImage}), " +
                  "{CachedTokens} cached-prefix tokens reused; first token after {TimeToFirstTokenMs} ms; {OutputTokens} output tokens, decode {DecodeTokensPerSecond} tokens/s; " +
                  "finish {FinishReason}; skill '{Skill}'; adapter '{Adapter}'")]
    public static partial void RequestCompleted(
        this ILogger logger,
        string responseId,
        string modelId,
        int promptTokens,
        int imageTokens,
        int imageCount,
        string imageTokensPerImage,
        int cachedTokens,
        double timeToFirstTokenMs,
        int outputTokens,
        double decodeTokensPerSecond,
        string finishReason,
        string? skill,
        string? adapter);

    [LoggerMessage(EventId = 2002, EventName = "RequestStarted", Level = LogLevel.Debug,
        Message = "Request {ResponseId} on {ModelId} started on the {Engine} engine: {PromptTokens} prompt tokens, at most {MaxNewTokens} new tokens, constrained decoding {Constrained}, skill '{Skill}', adapter '{Adapter}'")]
    public static partial void RequestStarted(this ILogger logger, string responseId, string modelId, string engine, int promptTokens, int maxNewTokens, bool constrained, string? skill, string? adapter);

    [LoggerMessage(EventId = 2003, EventName = "RequestImage", Level = LogLevel.Debug,
        Message = "Request {ResponseId} image {Index}: {Width}x{Height} resized to {ResizedWidth}x{ResizedHeight}, {ImageTokens} image tokens")]
    public static partial void RequestImage(this ILogger logger, string responseId, int index, int width, int height, int resizedWidth, int resizedHeight, int imageTokens);

    [LoggerMessage(EventId = 2004, EventName = "PromptProcessed", Level = LogLevel.Debug,
        Message = "Request {ResponseId}: prompt pass over {RunTokens} tokens ({CachedTokens} reused from the cache) in {PromptMs} ms")]
    public static partial void PromptProcessed(this ILogger logger, string responseId, int runTokens, int cachedTokens, double promptMs);

    [LoggerMessage(EventId = 2005, EventName = "RequestEnded", Level = LogLevel.Debug,
        Message = "Request {ResponseId} ended before completion after {OutputTokens} output tokens ({Reason})")]
    public static partial void RequestEnded(this ILogger logger, string responseId, int outputTokens, string reason);
}
