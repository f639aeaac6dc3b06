using System.Diagnostics;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>State shared by the graph writers during one conversion: the checkpoint, the options, the log.</summary>
internal sealed class ConversionContext
{
    private readonly IProgress<ModelConversionProgress>? _progress;
    private readonly List<TensorConversionRecord> _records = [];

    public ConversionContext(ITensorSource source, ModelConversionOptions options, int tensorsTotal, IProgress<ModelConversionProgress>? progress, CancellationToken cancellationToken)
    {
        Source = source;
        Options = options;
        TensorsTotal = tensorsTotal;
        _progress = progress;
        CancellationToken = cancellationToken;
    }

    public ITensorSource Source { get; }

    public ModelConversionOptions Options { get; }

    public int TensorsTotal { get; }

    public CancellationToken CancellationToken { get; }

    private readonly List<KeyValuePair<string, TimeSpan>> _stageTimes = [];
    private readonly Stopwatch _stageClock = new();
    private string _stage = string.Empty;

    /// <summary>The stage being written; setting it closes the previous stage's timing.</summary>
    public string Stage
    {
        get => _stage;
        set
        {
            EndStage();
            _stage = value;
            _stageClock.Restart();
        }
    }

    /// <summary>Wall-clock time of each finished stage.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> StageTimes => _stageTimes;

    /// <summary>Closes the current stage's timing.</summary>
    public void EndStage()
    {
        if (_stage.Length > 0 && _stageClock.IsRunning)
        {
            _stageTimes.Add(new(_stage, _stageClock.Elapsed));
            _stageClock.Reset();
        }
    }

    public IReadOnlyList<TensorConversionRecord> Records => _records;

    /// <summary>The LoRA branches written into the decoder so far.</summary>
    public List<LoraBranch> LoraBranches { get; } = [];

    /// <summary>
    /// The outputs of the Reshape nodes that only the 2-D activations of a decoder with LoRA inputs need: the base
    /// decoder stripped from it bypasses them (their consumers read the Reshape's input).
    /// </summary>
    public HashSet<string> FlatReshapes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reshape nodes (by output) whose target shape the base decoder replaces with the 3-D layout's (the head norms).
    /// </summary>
    public Dictionary<string, string> FlatShapeSubstitutions { get; } = new(StringComparer.Ordinal);

    public void Record(TensorConversionRecord record)
    {
        CancellationToken.ThrowIfCancellationRequested();
        _records.Add(record);
        _progress?.Report(new ModelConversionProgress(Stage, record.Name, _records.Count, TensorsTotal));
        Debug.WriteLine($"{record.Name} {record.Precision} max {record.MaxAbsError:g3} mean {record.MeanAbsError:g3}");
    }

    /// <summary>Reads a whole tensor as float32, checking its shape.</summary>
    public float[] ReadAll(string name, params long[] shape) => Source.ReadFloat32(name, shape);
}
