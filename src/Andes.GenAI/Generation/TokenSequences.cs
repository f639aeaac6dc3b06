using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>Creates a sequence on whichever engine the model was loaded for.</summary>
internal static class TokenSequences
{
    /// <summary>
    /// A fresh sequence: a <see cref="Generator"/> on the Andes engine, an <see cref="OnnxRuntimeGenAISequence"/> on
    /// ONNX Runtime GenAI.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Sampling and stopping options.</param>
    /// <param name="processors">Logits processors (constraints).</param>
    /// <param name="adapter">A LoRA adapter for the Andes engine, or null.</param>
    /// <param name="adapterName">The adapter the request asks for (named in the error when the engine cannot take one), or null.</param>
    /// <exception cref="EngineFeatureNotSupportedException">The engine cannot run the adapter.</exception>
    public static ITokenGenerator Create(AndesModel model, GenerationOptions options, IEnumerable<ILogitsProcessor>? processors = null, LoraAdapter? adapter = null, string? adapterName = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.GenAIRuntime is not { } runtime)
        {
            return new Generator(model, options, adapter, processors);
        }

        if ((adapterName ?? adapter?.Name) is { } name)
        {
            throw AdapterNotSupported(model, name);
        }

        if (options.SpeculativeDecoding is not null)
        {
            throw new EngineFeatureNotSupportedException(
                GenerationEngine.OnnxRuntimeGenAI,
                "speculative decoding",
                "Andes verifies drafted tokens with its own generator (ONNX Runtime GenAI 0.20's generator decodes one token per step with the model's search options); use the Andes engine (--engine andes).");
        }

        return new OnnxRuntimeGenAISequence(model, runtime, options, processors);
    }

    /// <summary>
    /// Why ONNX Runtime GenAI runs no Andes adapter. For the vision-language model types (every Andes folder with a vision
    /// graph) 0.20 accepts an adapter but never passes it to the decoder, so the answer would silently be the base
    /// model's (measured: <c>shared/spec/onnxruntime-genai.md</c>); for text-only folders it could, but Andes does not
    /// wire its adapter registry to ONNX Runtime GenAI's.
    /// </summary>
    public static EngineFeatureNotSupportedException AdapterNotSupported(AndesModel model, string? adapterName) => new(
        GenerationEngine.OnnxRuntimeGenAI,
        adapterName is null ? "LoRA adapters" : $"LoRA adapter '{adapterName}'",
        model.Config.Model.Vision is not null
            ? $"ONNX Runtime GenAI 0.20 accepts adapters for this folder's model type ({model.Config.Model.Type}) but never passes them to the decoder, so the answer would be the base model's; use the Andes engine (--engine andes) for adapters."
            : "Andes does not pass its adapters to ONNX Runtime GenAI; use the Andes engine (--engine andes) for adapters.");
}
