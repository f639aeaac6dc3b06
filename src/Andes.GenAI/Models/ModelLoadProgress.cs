namespace Andes.GenAI;

/// <summary>
/// One report of <see cref="AndesModel.LoadAsync"/>: the step just reached, the file it concerns and how far the load
/// is, measured in bytes of the files read (configuration, tokenizer and graphs with their weights). Immutable.
/// </summary>
public sealed class ModelLoadProgress
{
    internal ModelLoadProgress(ModelLoadStage stage, string? fileName, long fileBytes, long bytesDone, long totalBytes, TimeSpan elapsed)
    {
        Stage = stage;
        FileName = fileName;
        FileBytes = fileBytes;
        BytesDone = bytesDone;
        TotalBytes = totalBytes;
        Elapsed = elapsed;
    }

    /// <summary>The step reached.</summary>
    public ModelLoadStage Stage { get; }

    /// <summary>
    /// The file the step read, relative to the model folder (for example <c>decoder.onnx</c>), or null for
    /// <see cref="ModelLoadStage.Completed"/>. For ONNX Runtime GenAI's model it is <c>genai_config.json</c>, the file
    /// that names the graphs it opens.
    /// </summary>
    public string? FileName { get; }

    /// <summary>
    /// The bytes the step reads: the file's size, for a graph together with its external weights
    /// (<c>&lt;file&gt;.data</c>, or the shared weights file of a base decoder), for ONNX Runtime GenAI every graph's.
    /// </summary>
    public long FileBytes { get; }

    /// <summary>The bytes of the steps finished so far (a <see cref="ModelLoadStage.CreatingSession"/> report does not count its own file yet).</summary>
    public long BytesDone { get; }

    /// <summary>The bytes of every step of this load.</summary>
    public long TotalBytes { get; }

    /// <summary>The fraction done by bytes, from 0 to 1 (1 at <see cref="ModelLoadStage.Completed"/>).</summary>
    public double Fraction => TotalBytes <= 0 ? (Stage == ModelLoadStage.Completed ? 1 : 0) : Math.Min(1, (double)BytesDone / TotalBytes);

    /// <summary>The time since the load started.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Stage} {FileName} ({FileBytes:N0} bytes) {Fraction:P0}");
}
