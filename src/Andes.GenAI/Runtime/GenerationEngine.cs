namespace Andes.GenAI;

/// <summary>
/// Which runtime runs a model folder's graphs. Both take the same folder, and behind <see cref="AndesChatClient"/>
/// both use Andes's tokenizer, chat template, image preprocessing, sampler, constrained decoding, stop sequences and
/// output parser, so they agree token for token (see the README's engine table for what each supports).
/// </summary>
public enum GenerationEngine
{
    /// <summary>
    /// Andes's own engine on ONNX Runtime: key/value cache reuse across turns, LoRA adapters with images, image
    /// feature caching.
    /// </summary>
    Andes = 0,

    /// <summary>
    /// ONNX Runtime GenAI (<c>Microsoft.ML.OnnxRuntimeGenAI</c>) runs the vision, embedding and decoder graphs and keeps
    /// the key/value cache; Andes samples from the logits it returns.
    /// </summary>
    OnnxRuntimeGenAI = 1,
}
