using System.Globalization;
using System.Text.Json.Nodes;
using Andes.GenAI;
using Microsoft.Extensions.Logging;
using Oga = Microsoft.ML.OnnxRuntimeGenAI;

namespace Andes.GenAI;

/// <summary>
/// A model folder loaded by ONNX Runtime GenAI (<see cref="GenerationEngine.OnnxRuntimeGenAI"/>), with the thread count
/// and execution providers Andes resolves for its own sessions, so both engines run on the same terms.
/// </summary>
internal sealed class OnnxRuntimeGenAIModel : IDisposable
{
    private OnnxRuntimeGenAIModel(Oga.Model model, int? intraOpThreads, IReadOnlyList<ExecutionProvider> providers)
    {
        Model = model;
        IntraOpThreads = intraOpThreads;
        Providers = providers;
    }

    /// <summary>ONNX Runtime GenAI's model. Safe for concurrent use: each request makes its own generator.</summary>
    public Oga.Model Model { get; }

    /// <summary>The intra-op thread count given to every graph, or null for ONNX Runtime's default.</summary>
    public int? IntraOpThreads { get; }

    /// <summary>The execution providers given to ONNX Runtime GenAI, in priority order (CPU implicit, last).</summary>
    public IReadOnlyList<ExecutionProvider> Providers { get; }

    /// <summary>Loads the folder in ONNX Runtime GenAI.</summary>
    /// <exception cref="ModelConfigurationException">ONNX Runtime GenAI refuses the folder (its message, naming the file).</exception>
    /// <exception cref="ExecutionProviderNotAvailableException">A requested provider is missing and fall-back was not allowed.</exception>
    public static OnnxRuntimeGenAIModel Load(string directory, GenAIConfig config, AndesModelOptions options, string configFile, ILogger logger)
    {
        List<ExecutionProvider> providers = SessionOptionsFactory.UsableProviders(config.Model.Decoder.SessionOptions, options, logger, "model.decoder");
        int? threads = SessionOptionsFactory.ResolveIntraOpThreads(options, config.Model.Decoder.SessionOptions);
        try
        {
            using var genaiConfig = new Oga.Config(directory);
            string? overlay = SessionOverlay(config, options, threads);
            if (overlay is not null)
            {
                genaiConfig.Overlay(overlay);
            }

            if (options.ExecutionProviders is not null || providers.Count > 0)
            {
                // The file's list minus unavailable ones (when fall-back is allowed), or the caller's.
                genaiConfig.ClearProviders();
                foreach (ExecutionProvider provider in providers)
                {
                    string name = provider.Name.ToLowerInvariant();
                    genaiConfig.AppendProvider(name);
                    foreach ((string key, string value) in provider.Options ?? new Dictionary<string, string>())
                    {
                        genaiConfig.SetProviderOption(name, key, value);
                    }
                }
            }

            return new OnnxRuntimeGenAIModel(new Oga.Model(genaiConfig), threads, providers);
        }
        catch (Oga.OnnxRuntimeGenAIException ex)
        {
            throw new ModelConfigurationException($"ONNX Runtime GenAI cannot load '{directory}' ('{configFile}'): {ex.Message}", configFile, null, ex);
        }
    }

    /// <summary>
    /// The session options Andes decides that the file does not say (threads, graph optimisation), as a config overlay
    /// for each graph section the folder has; null when there is nothing to add.
    /// </summary>
    private static string? SessionOverlay(GenAIConfig config, AndesModelOptions options, int? threads)
    {
        var sessionOptions = new JsonObject();
        if (threads is int intra and > 0)
        {
            sessionOptions["intra_op_num_threads"] = intra;
        }

        if (options.InterOpNumThreads is int inter)
        {
            sessionOptions["inter_op_num_threads"] = inter;
        }

        if (options.GraphOptimizationLevel is { } level)
        {
            sessionOptions["graph_optimization_level"] = level switch
            {
                "ORT_DISABLE_ALL" => "ORT_DISABLE_ALL",
                "ORT_ENABLE_BASIC" => "ORT_ENABLE_BASIC",
                "ORT_ENABLE_EXTENDED" => "ORT_ENABLE_EXTENDED",
                "ORT_ENABLE_ALL" => "ORT_ENABLE_ALL",
                _ => throw new ArgumentException($"AndesModelOptions.GraphOptimizationLevel '{level}' is not one of ORT_DISABLE_ALL, ORT_ENABLE_BASIC, ORT_ENABLE_EXTENDED, ORT_ENABLE_ALL.", nameof(options)),
            };
        }

        foreach ((string key, string value) in options.SessionConfigEntries)
        {
            sessionOptions[key] = value;
        }

        if (sessionOptions.Count == 0)
        {
            return null;
        }

        var model = new JsonObject { ["decoder"] = new JsonObject { ["session_options"] = sessionOptions.DeepClone() } };
        if (config.Model.Embedding is not null)
        {
            model["embedding"] = new JsonObject { ["session_options"] = sessionOptions.DeepClone() };
        }

        if (config.Model.Vision is not null)
        {
            model["vision"] = new JsonObject { ["session_options"] = sessionOptions.DeepClone() };
        }

        return new JsonObject { ["model"] = model }.ToJsonString();
    }

    /// <summary>Disposes ONNX Runtime GenAI's model.</summary>
    public void Dispose() => Model.Dispose();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime GenAI model, {IntraOpThreads?.ToString(CultureInfo.InvariantCulture) ?? "default"} threads");
}
