using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>Builds ONNX Runtime <see cref="SessionOptions"/> from a graph's config section and the caller's overrides.</summary>
internal static class SessionOptionsFactory
{
    private static readonly Lazy<string[]> Available = new(() => OrtEnv.Instance().GetAvailableProviders());

    /// <summary>
    /// The intra-op thread count a session gets: the caller's, else the config's, else (on Linux) the physical cores
    /// the process may use; null leaves ONNX Runtime's default.
    /// </summary>
    public static int? ResolveIntraOpThreads(AndesModelOptions options, GenAISessionOptions? config)
        => options.IntraOpNumThreads ?? config?.IntraOpNumThreads ?? CpuTopology.PhysicalCoresAvailable;

    /// <summary>Creates a graph's session options; <paramref name="providers"/> gets the execution providers appended (CPU implicit, last).</summary>
    public static SessionOptions Create(GenAISessionOptions? config, AndesModelOptions options, string configFile, string section, ILogger logger, out List<ExecutionProvider> providers)
    {
        var so = new SessionOptions();
        try
        {
            so.LogId = config?.LogId ?? "andes";
            so.LogSeverityLevel = (OrtLoggingLevel)(config?.LogSeverityLevel ?? 3);
            if (ResolveIntraOpThreads(options, config) is int intra)
            {
                so.IntraOpNumThreads = intra;
            }

            if ((options.InterOpNumThreads ?? config?.InterOpNumThreads) is int inter)
            {
                so.InterOpNumThreads = inter;
            }

            if (config?.EnableCpuMemArena is bool arena)
            {
                so.EnableCpuMemArena = arena;
            }

            if (config?.EnableMemPattern is bool pattern)
            {
                so.EnableMemoryPattern = pattern;
            }

            string? level = options.GraphOptimizationLevel ?? config?.GraphOptimizationLevel;
            so.GraphOptimizationLevel = level switch
            {
                null or "ORT_ENABLE_ALL" => GraphOptimizationLevel.ORT_ENABLE_ALL,
                "ORT_ENABLE_EXTENDED" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                "ORT_ENABLE_BASIC" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "ORT_DISABLE_ALL" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                _ => throw new ModelConfigurationException(
                    $"'{configFile}': field '{section}.session_options.graph_optimization_level' has an invalid value '{level}' (expected ORT_DISABLE_ALL, ORT_ENABLE_BASIC, ORT_ENABLE_EXTENDED or ORT_ENABLE_ALL).",
                    configFile,
                    $"{section}.session_options.graph_optimization_level"),
            };

            if (config?.ConfigEntries is { } entries)
            {
                foreach ((string key, JsonElement value) in entries)
                {
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        throw new ModelConfigurationException(
                            $"'{configFile}': unknown field '{section}.session_options.{key}' (session config entries must be strings).",
                            configFile,
                            $"{section}.session_options.{key}");
                    }

                    so.AddSessionConfigEntry(key, value.GetString()!);
                }
            }

            foreach ((string key, string value) in options.SessionConfigEntries)
            {
                so.AddSessionConfigEntry(key, value);
            }

            providers = UsableProviders(config, options, logger, section);
            foreach (ExecutionProvider provider in providers)
            {
                Append(so, provider);
            }

            return so;
        }
        catch
        {
            so.Dispose();
            throw;
        }
    }

    private static IEnumerable<ExecutionProvider> Providers(GenAISessionOptions? config, AndesModelOptions options)
    {
        if (options.ExecutionProviders is { } explicitProviders)
        {
            return explicitProviders;
        }

        var list = new List<ExecutionProvider>();
        foreach (Dictionary<string, Dictionary<string, string>> entry in config?.ProviderOptions ?? [])
        {
            foreach ((string name, Dictionary<string, string> providerOptions) in entry)
            {
                list.Add(new ExecutionProvider(name, providerOptions));
            }
        }

        return list;
    }

    /// <summary>
    /// The providers a graph's sessions get, in priority order, without CPU (always last, implicitly): the caller's, else
    /// the config's. One missing from the installed ONNX Runtime (which ONNX Runtime GenAI shares) throws, or is
    /// dropped with a warning (through <paramref name="logger"/>) when <see cref="AndesModelOptions.AllowCpuFallback"/> is set.
    /// </summary>
    public static List<ExecutionProvider> UsableProviders(GenAISessionOptions? config, AndesModelOptions options, ILogger logger, string section)
    {
        var usable = new List<ExecutionProvider>();
        foreach (ExecutionProvider provider in Providers(config, options))
        {
            if (provider.RuntimeName == "CPUExecutionProvider")
            {
                continue;
            }

            if (!Available.Value.Contains(provider.RuntimeName, StringComparer.OrdinalIgnoreCase))
            {
                if (!options.AllowCpuFallback)
                {
                    throw new ExecutionProviderNotAvailableException(provider.Name, Available.Value);
                }

                logger.ExecutionProviderFallback(provider.Name, string.Join(", ", Available.Value), section);
                continue;
            }

            usable.Add(provider);
        }

        return usable;
    }

    /// <summary>The providers as a log shows them, CPU last (ONNX Runtime always has it as the fall-back for unassigned nodes).</summary>
    public static string Describe(IEnumerable<ExecutionProvider> providers) =>
        string.Join(", ", providers.Select(p => p.Name).Append("cpu").Distinct(StringComparer.OrdinalIgnoreCase));

    private static void Append(SessionOptions so, ExecutionProvider provider)
    {
        var providerOptions = provider.Options?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? [];
        switch (provider.Name.ToLowerInvariant())
        {
            case "dml":
                so.AppendExecutionProvider_DML(providerOptions.TryGetValue("device_id", out string? d) ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : 0);
                break;
            case "cuda":
                so.AppendExecutionProvider_CUDA(providerOptions.TryGetValue("device_id", out string? c) ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 0);
                break;
            default:
                string name = provider.Name.ToLowerInvariant() switch
                {
                    "qnn" => "QNN",
                    "xnnpack" => "XNNPACK",
                    "snpe" => "SNPE",
                    "openvino" => "OpenVINO",
                    "coreml" => "CoreML",
                    "webgpu" => "WebGPU",
                    _ => provider.Name,
                };
                so.AppendExecutionProvider(name, providerOptions);
                break;
        }
    }
}
