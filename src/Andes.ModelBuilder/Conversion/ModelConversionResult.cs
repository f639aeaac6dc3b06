namespace Andes.ModelBuilder;

/// <summary>The summary of a conversion.</summary>
public sealed class ModelConversionResult
{
    /// <summary>The model folder written.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>One record per checkpoint tensor converted, in conversion order.</summary>
    public required IReadOnlyList<TensorConversionRecord> Tensors { get; init; }

    /// <summary>Total bytes of every file written into the model folder.</summary>
    public required long BytesWritten { get; init; }

    /// <summary>Wall-clock time of the conversion.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Wall-clock time per stage (<c>embedding</c>, <c>vision</c> when the checkpoint has one, <c>decoder</c>, <c>config</c>), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> StageElapsed { get; init; } = [];

    /// <summary>The process's peak working set at the end of the conversion, in bytes (0 where the platform does not report it).</summary>
    public required long PeakWorkingSetBytes { get; init; }
}
