namespace Andes.GenAI;

/// <summary>
/// An ONNX Runtime execution provider by name, with its options: <c>cpu</c>, <c>qnn</c> (e.g. <c>backend_path</c>,
/// <c>htp_performance_mode</c>), <c>xnnpack</c>, <c>dml</c>, <c>cuda</c>, <c>openvino</c>, <c>coreml</c>, or any name
/// ONNX Runtime's generic <c>AppendExecutionProvider</c> accepts.
/// </summary>
/// <param name="Name">The provider name, case-insensitive (<c>qnn</c> or <c>QNNExecutionProvider</c>).</param>
/// <param name="Options">Provider options (string key/value pairs), or null.</param>
public sealed record ExecutionProvider(string Name, IReadOnlyDictionary<string, string>? Options = null)
{
    /// <summary>The CPU provider (always available).</summary>
    public static ExecutionProvider Cpu { get; } = new("cpu");

    /// <summary>Qualcomm's QNN provider on the Hexagon NPU (needs the <c>Microsoft.ML.OnnxRuntime.QNN</c> package).</summary>
    /// <param name="backendPath">The QNN backend library (<c>QnnHtp.dll</c> for the NPU).</param>
    /// <param name="performanceMode">HTP performance mode (<c>burst</c>, <c>high_performance</c>, <c>balanced</c>, ...).</param>
    public static ExecutionProvider Qnn(string backendPath = "QnnHtp.dll", string performanceMode = "burst") =>
        new("qnn", new Dictionary<string, string> { ["backend_path"] = backendPath, ["htp_performance_mode"] = performanceMode });

    /// <summary>The name ONNX Runtime reports for this provider in <c>GetAvailableProviders</c> (e.g. <c>QNNExecutionProvider</c>).</summary>
    public string RuntimeName => Name.ToLowerInvariant() switch
    {
        "cpu" => "CPUExecutionProvider",
        "qnn" => "QNNExecutionProvider",
        "xnnpack" => "XnnpackExecutionProvider",
        "dml" => "DmlExecutionProvider",
        "cuda" => "CUDAExecutionProvider",
        "openvino" => "OpenVINOExecutionProvider",
        "coreml" => "CoreMLExecutionProvider",
        "webgpu" => "WebGpuExecutionProvider",
        "snpe" => "SNPEExecutionProvider",
        _ => Name.EndsWith("ExecutionProvider", StringComparison.OrdinalIgnoreCase) ? Name : Name + "ExecutionProvider",
    };
}
