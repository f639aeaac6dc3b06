namespace Andes.GenAI;

/// <summary>A step of <see cref="AndesModel.LoadAsync"/>, as reported in <see cref="ModelLoadProgress.Stage"/>.</summary>
public enum ModelLoadStage
{
    /// <summary>The folder's <c>andes_manifest.json</c> was read and every listed file has its listed size (only for folders with a manifest).</summary>
    ManifestChecked,

    /// <summary><c>genai_config.json</c> was read and checked.</summary>
    ConfigRead,

    /// <summary><c>tokenizer.json</c> was loaded.</summary>
    TokenizerLoaded,

    /// <summary>The vision graph's processor config was read (only for folders with a vision graph).</summary>
    ImageProcessorLoaded,

    /// <summary>
    /// An ONNX Runtime session is about to be created from <see cref="ModelLoadProgress.FileName"/> (the step that
    /// takes most of a load; it cannot be interrupted, so cancellation takes effect after it).
    /// </summary>
    CreatingSession,

    /// <summary>The ONNX Runtime session of <see cref="ModelLoadProgress.FileName"/> was created.</summary>
    SessionCreated,

    /// <summary>
    /// ONNX Runtime GenAI is about to create its model (<see cref="GenerationEngine.OnnxRuntimeGenAI"/>): one call
    /// that creates the session of every graph <c>genai_config.json</c> names, and cannot be interrupted.
    /// </summary>
    CreatingOnnxRuntimeGenAIModel,

    /// <summary>ONNX Runtime GenAI created its model.</summary>
    OnnxRuntimeGenAIModelCreated,

    /// <summary>The model is loaded (<see cref="ModelLoadProgress.Fraction"/> is 1); cancelling after this report has no effect.</summary>
    Completed,
}
