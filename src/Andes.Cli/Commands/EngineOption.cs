using System.CommandLine;
using Andes.GenAI;
namespace Andes.Cli.Commands;

/// <summary><c>--engine andes|onnxruntime-genai</c>: which runtime runs the model folder (shared by generate, chat, describe and bench).</summary>
internal static class EngineOption
{
    public const string Description = "The runtime that runs the graphs: andes (default) or onnxruntime-genai.";

    public static Option<GenerationEngine> Create()
    {
        var option = new Option<GenerationEngine>("--engine")
        {
            Description = Description,
            DefaultValueFactory = _ => GenerationEngine.Andes,
            CustomParser = result => Parse(result.Tokens.Count == 0 ? "andes" : result.Tokens[0].Value, error => result.AddError(error)),
        };
        option.CompletionSources.Add("andes", "onnxruntime-genai");
        return option;
    }

    /// <summary>Parses one engine name; reports an error naming the value and the choices.</summary>
    public static GenerationEngine Parse(string value, Action<string> error)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "andes":
                return GenerationEngine.Andes;
            case "onnxruntime-genai":
            case "ort-genai":
                return GenerationEngine.OnnxRuntimeGenAI;
            default:
                error($"--engine: '{value}' is not an engine (choose andes or onnxruntime-genai).");
                return GenerationEngine.Andes;
        }
    }

    public static string Name(GenerationEngine engine) => EngineFeatureNotSupportedException.EngineName(engine);
}
