using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// The <c>session_options</c> of a graph: threads, graph optimisation, logging and execution providers in priority
/// order. Any other string key is passed to ONNX Runtime as a session config entry.
/// </summary>
public sealed class GenAISessionOptions
{
    /// <summary>Threads used inside an operator (0: ONNX Runtime's default).</summary>
    [JsonPropertyName("intra_op_num_threads")] public int? IntraOpNumThreads { get; set; }

    /// <summary>Threads used across operators.</summary>
    [JsonPropertyName("inter_op_num_threads")] public int? InterOpNumThreads { get; set; }

    /// <summary>Whether the CPU memory arena is on.</summary>
    [JsonPropertyName("enable_cpu_mem_arena")] public bool? EnableCpuMemArena { get; set; }

    /// <summary>Whether memory-pattern planning is on.</summary>
    [JsonPropertyName("enable_mem_pattern")] public bool? EnableMemPattern { get; set; }

    /// <summary>Graph optimisation level: <c>ORT_DISABLE_ALL</c>, <c>ORT_ENABLE_BASIC</c>, <c>ORT_ENABLE_EXTENDED</c>, <c>ORT_ENABLE_ALL</c>.</summary>
    [JsonPropertyName("graph_optimization_level")] public string? GraphOptimizationLevel { get; set; }

    /// <summary>ONNX Runtime log severity (0 verbose .. 4 fatal).</summary>
    [JsonPropertyName("log_severity_level")] public int? LogSeverityLevel { get; set; }

    /// <summary>Log identifier.</summary>
    [JsonPropertyName("log_id")] public string? LogId { get; set; }

    /// <summary>
    /// Execution providers in priority order, each <c>{"name": {"key": "value"}}</c>
    /// (e.g. <c>{"qnn": {"backend_path": "QnnHtp.dll", "htp_performance_mode": "burst"}}</c>).
    /// </summary>
    [JsonPropertyName("provider_options")] public List<Dictionary<string, Dictionary<string, string>>>? ProviderOptions { get; set; }

    /// <summary>Other keys: session config entries (string values).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ConfigEntries { get; set; }
}
