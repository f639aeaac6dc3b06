using System.Diagnostics;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>State shared by the graph writers during one conversion: the checkpoint, the options, the log.</summary>
internal sealed class ConversionContext
{
    private readonly IProgress<ModelConversionProgress>? _progress;
    private readonly List<TensorConversionRecord> _records = [];

    private long _weightsDone;
    private long _weightsOfCurrentTensor;

    public ConversionContext(ITensorSource source, ModelConversionOptions options, int tensorsTotal, long weightsTotal, IProgress<ModelConversionProgress>? progress, CancellationToken cancellationToken)
    {
        Source = source;
        Options = options;
        TensorsTotal = tensorsTotal;
        WeightsTotal = weightsTotal;
        _progress = progress;
        CancellationToken = cancellationToken;
    }

    public ITensorSource Source { get; }

    public ModelConversionOptions Options { get; }

    public int TensorsTotal { get; }

    /// <summary>Checkpoint elements the conversion reads in all (an estimate: the progress fraction is clamped).</summary>
    public long WeightsTotal { get; }

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
        long elements = 1;
        foreach (long d in record.Shape)
        {
            elements *= d;
        }

        // A tensor streamed in chunks has reported its elements already (Advance).
        _weightsDone += Math.Max(0, elements - _weightsOfCurrentTensor);
        _weightsOfCurrentTensor = 0;
        _progress?.Report(new ModelConversionProgress(Stage, record.Name, _records.Count, TensorsTotal, _weightsDone, WeightsTotal));
        Debug.WriteLine($"{record.Name} {record.Precision} max {record.MaxAbsError:g3} mean {record.MeanAbsError:g3}");
    }

    /// <summary>Reports <paramref name="elements"/> more of <paramref name="tensorName"/> converted (a chunk of a large tensor).</summary>
    public void Advance(string tensorName, long elements)
    {
        CancellationToken.ThrowIfCancellationRequested();
        _weightsDone += elements;
        _weightsOfCurrentTensor += elements;
        _progress?.Report(new ModelConversionProgress(Stage, tensorName, _records.Count, TensorsTotal, _weightsDone, WeightsTotal));
    }

    /// <summary>Reports the end: every weight done, whatever the estimate was.</summary>
    public void Complete() =>
        _progress?.Report(new ModelConversionProgress(Stage, string.Empty, _records.Count, TensorsTotal, Math.Max(_weightsDone, WeightsTotal), Math.Max(_weightsDone, WeightsTotal)));

    /// <summary>Reads a whole tensor as float32, checking its shape.</summary>
    public float[] ReadAll(string name, params long[] shape) => Source.ReadFloat32(name, shape);
}
