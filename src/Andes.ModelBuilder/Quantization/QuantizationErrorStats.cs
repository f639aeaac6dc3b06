using System.Globalization;

namespace Andes.ModelBuilder;

/// <summary>
/// Accumulates the quantisation error of one tensor (w - dequantised w, over its real K columns, never the padding)
/// while <see cref="BlockQuantizer"/> quantises it, one chunk of rows after another, so a converter can log it.
/// </summary>
/// <remarks>Not thread-safe: give each thread its own instance and <see cref="Merge"/> them.</remarks>
public sealed class QuantizationErrorStats
{
    private double _sumAbsError;
    private double _sumSquaredError;
    private double _sumSquaredWeight;

    /// <summary>Creates empty statistics.</summary>
    /// <param name="tensorName">The tensor being quantised, used in messages (optional).</param>
    public QuantizationErrorStats(string? tensorName = null)
    {
        TensorName = tensorName;
    }

    /// <summary>The tensor being quantised, if given.</summary>
    public string? TensorName { get; }

    /// <summary>Rows quantised so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Elements quantised so far (rows x K).</summary>
    public long ElementCount { get; private set; }

    /// <summary>The largest |w - dequantised w| seen.</summary>
    public double MaxAbsError { get; private set; }

    /// <summary>The largest |w| seen.</summary>
    public double MaxAbsWeight { get; private set; }

    /// <summary>Mean |w - dequantised w| (0 when empty).</summary>
    public double MeanAbsError => ElementCount == 0 ? 0 : _sumAbsError / ElementCount;

    /// <summary>Root-mean-square error (0 when empty).</summary>
    public double RmsError => ElementCount == 0 ? 0 : Math.Sqrt(_sumSquaredError / ElementCount);

    /// <summary>sqrt(sum (w - deq)^2 / sum w^2): the error relative to the tensor's own magnitude (0 for an all-zero tensor).</summary>
    public double RelativeRmsError => _sumSquaredWeight == 0 ? 0 : Math.Sqrt(_sumSquaredError / _sumSquaredWeight);

    /// <summary>Adds the errors of another instance (e.g. one filled by another thread over other rows).</summary>
    /// <param name="other">The statistics to fold in.</param>
    public void Merge(QuantizationErrorStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RowCount += other.RowCount;
        ElementCount += other.ElementCount;
        _sumAbsError += other._sumAbsError;
        _sumSquaredError += other._sumSquaredError;
        _sumSquaredWeight += other._sumSquaredWeight;
        MaxAbsError = Math.Max(MaxAbsError, other.MaxAbsError);
        MaxAbsWeight = Math.Max(MaxAbsWeight, other.MaxAbsWeight);
    }

    internal void AddBlock(int count, double maxAbsError, double sumAbsError, double sumSquaredError, double maxAbsWeight, double sumSquaredWeight)
    {
        ElementCount += count;
        _sumAbsError += sumAbsError;
        _sumSquaredError += sumSquaredError;
        _sumSquaredWeight += sumSquaredWeight;
        if (maxAbsError > MaxAbsError)
        {
            MaxAbsError = maxAbsError;
        }

        if (maxAbsWeight > MaxAbsWeight)
        {
            MaxAbsWeight = maxAbsWeight;
        }
    }

    internal void AddRows(int rows) => RowCount += rows;

    /// <inheritdoc />
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0}{1} elements: max |err| {2:G4}, mean |err| {3:G4}, relative RMS {4:P3} (max |w| {5:G4})",
        TensorName is null ? string.Empty : TensorName + ": ",
        ElementCount,
        MaxAbsError,
        MeanAbsError,
        RelativeRmsError,
        MaxAbsWeight);
}
