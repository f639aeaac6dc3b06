namespace Andes.GenAI;

/// <summary>
/// A request asks for something the model's <see cref="GenerationEngine"/> cannot do with this folder (for example a
/// LoRA adapter on ONNX Runtime GenAI with a vision-language folder). Thrown before any token is generated: an engine
/// never falls back silently and never answers without the feature.
/// </summary>
public sealed class EngineFeatureNotSupportedException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="feature">The feature asked for (e.g. <c>LoRA adapter</c>).</param>
    /// <param name="reason">Why the engine cannot do it, and what to do instead.</param>
    public EngineFeatureNotSupportedException(GenerationEngine engine, string feature, string reason)
        : base($"The {EngineName(engine)} engine does not support {feature}: {reason}")
    {
        Engine = engine;
        Feature = feature;
    }

    /// <summary>The engine.</summary>
    public GenerationEngine Engine { get; }

    /// <summary>The feature asked for.</summary>
    public string Feature { get; }

    /// <summary>The engine's name as the CLI spells it (<c>andes</c>, <c>onnxruntime-genai</c>).</summary>
    /// <param name="engine">The engine.</param>
    public static string EngineName(GenerationEngine engine) => engine switch
    {
        GenerationEngine.Andes => "andes",
        GenerationEngine.OnnxRuntimeGenAI => "onnxruntime-genai",
        _ => engine.ToString(),
    };
}
