using Microsoft.Extensions.Logging;

namespace Andes.GenAI;

/// <summary>
/// How an <see cref="AndesModel"/> creates its ONNX Runtime sessions. Values set here override the
/// <c>session_options</c> of <c>genai_config.json</c>; unset values keep the file's.
/// </summary>
public sealed class AndesModelOptions
{
    /// <summary>
    /// Threads inside an operator (null: the config's; else, on Linux, one per physical core the process may run on,
    /// read from sysfs; elsewhere ONNX Runtime's default of one per physical core). Set explicitly because ONNX
    /// Runtime's own count ran one thread on a 2-core Linux VM, which made decode about 1.5 times slower.
    /// </summary>
    public int? IntraOpNumThreads { get; set; }

    /// <summary>
    /// The runtime that runs the graphs (default <see cref="GenerationEngine.Andes"/>). With
    /// <see cref="GenerationEngine.OnnxRuntimeGenAI"/> the folder is loaded by ONNX Runtime GenAI, with the same thread
    /// count and execution providers as set here, and Andes's own sessions are not created.
    /// </summary>
    public GenerationEngine Engine { get; set; }

    /// <summary>Threads across operators (null: the config's or ONNX Runtime's default).</summary>
    public int? InterOpNumThreads { get; set; }

    /// <summary>Graph optimisation level: <c>ORT_DISABLE_ALL</c>, <c>ORT_ENABLE_BASIC</c>, <c>ORT_ENABLE_EXTENDED</c> or <c>ORT_ENABLE_ALL</c> (null: the config's, else all).</summary>
    public string? GraphOptimizationLevel { get; set; }

    /// <summary>Execution providers in priority order (null: the config's <c>provider_options</c>; empty: CPU only).</summary>
    public IList<ExecutionProvider>? ExecutionProviders { get; set; }

    /// <summary>
    /// When a requested provider is missing from the installed ONNX Runtime: false (default) throws
    /// <see cref="ExecutionProviderNotAvailableException"/>; true logs a warning (through
    /// <see cref="LoggerFactory"/>) and continues without it (CPU).
    /// </summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>Extra ONNX Runtime session config entries (key/value).</summary>
    public IDictionary<string, string> SessionConfigEntries { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Creates the loggers of the model and of the <see cref="AndesChatClient"/>s over it (null: no logging). The model
    /// logs its load at <see cref="LogLevel.Information"/> (folder, engine, files with sizes, execution providers,
    /// intra-op threads, time taken) with each step at <see cref="LogLevel.Debug"/>, and a provider fall-back
    /// (<see cref="AllowCpuFallback"/>) as a warning; clients log each request (category
    /// <c>Andes.GenAI.AndesChatClient</c>). <c>services.AddAndesChatClient</c> sets the container's factory when this is null.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The default <see cref="ImageFeatureCacheBytes"/>: 64 MiB (about a dozen 1280 x 720 screenshots on a 1B model).</summary>
    public const long DefaultImageFeatureCacheBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes of image features kept by content hash, so a follow-up turn (or a repeated image) does not run the vision
    /// graph again; 0 disables the cache. Default <see cref="DefaultImageFeatureCacheBytes"/>.
    /// </summary>
    public long ImageFeatureCacheBytes { get; set; } = DefaultImageFeatureCacheBytes;

    /// <summary>
    /// These options when they already name a <see cref="LoggerFactory"/> (or <paramref name="loggerFactory"/> is
    /// null); otherwise a copy that logs to <paramref name="loggerFactory"/>. Hosts use it to give the engine their
    /// container's logging without changing the caller's options object.
    /// </summary>
    /// <param name="loggerFactory">The factory to use when these options set none, e.g. the container's.</param>
    /// <returns>These options, or a copy with <see cref="LoggerFactory"/> set.</returns>
    public AndesModelOptions WithDefaultLoggerFactory(ILoggerFactory? loggerFactory)
    {
        if (LoggerFactory is not null || loggerFactory is null)
        {
            return this;
        }

        AndesModelOptions copy = Clone();
        copy.LoggerFactory = loggerFactory;
        return copy;
    }

    /// <summary>Creates a copy.</summary>
    public AndesModelOptions Clone()
    {
        var copy = new AndesModelOptions
        {
            IntraOpNumThreads = IntraOpNumThreads,
            Engine = Engine,
            InterOpNumThreads = InterOpNumThreads,
            GraphOptimizationLevel = GraphOptimizationLevel,
            ExecutionProviders = ExecutionProviders is null ? null : [.. ExecutionProviders],
            AllowCpuFallback = AllowCpuFallback,
            LoggerFactory = LoggerFactory,
            ImageFeatureCacheBytes = ImageFeatureCacheBytes,
        };
        foreach ((string key, string value) in SessionConfigEntries)
        {
            copy.SessionConfigEntries[key] = value;
        }

        return copy;
    }
}
