namespace Andes.GenAI;

/// <summary>
/// A requested execution provider is not in the installed ONNX Runtime build (for example <c>qnn</c> with the CPU-only
/// <c>Microsoft.ML.OnnxRuntime</c> package) and CPU fall-back was not allowed.
/// </summary>
public sealed class ExecutionProviderNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider asked for.</param>
    /// <param name="availableProviders">The providers the installed ONNX Runtime offers.</param>
    public ExecutionProviderNotAvailableException(string provider, IReadOnlyList<string> availableProviders)
        : base($"Execution provider '{provider}' is not available in the installed ONNX Runtime (available: {string.Join(", ", availableProviders)}). " +
               "Install the ONNX Runtime package that has it (e.g. Microsoft.ML.OnnxRuntime.QNN for 'qnn': build with -p:AndesOnnxRuntimePackage=Microsoft.ML.OnnxRuntime.QNN), " +
               "or set AndesModelOptions.AllowCpuFallback.")
    {
        Provider = provider;
        AvailableProviders = availableProviders;
    }

    /// <summary>The provider asked for.</summary>
    public string Provider { get; }

    /// <summary>The providers the installed ONNX Runtime offers.</summary>
    public IReadOnlyList<string> AvailableProviders { get; }
}
