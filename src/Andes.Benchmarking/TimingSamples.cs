namespace Andes.Benchmarking;

/// <summary>Collects wall-clock and CPU samples of one step and summarises them (median, min).</summary>
public sealed class TimingSamples
{
    private readonly List<double> _wall = [];
    private readonly List<double> _cpu = [];

    /// <summary>Adds one run.</summary>
    /// <param name="wallMilliseconds">Its wall-clock time.</param>
    /// <param name="cpuMilliseconds">Its CPU time.</param>
    public void Add(double wallMilliseconds, double cpuMilliseconds)
    {
        _wall.Add(wallMilliseconds);
        _cpu.Add(cpuMilliseconds);
    }

    /// <summary>The median and minimum of the runs so far.</summary>
    /// <exception cref="InvalidOperationException">No runs were added.</exception>
    public StepTiming Summarise() =>
        _wall.Count == 0
            ? throw new InvalidOperationException("No runs were timed.")
            : new StepTiming(_wall.Count, Median(_wall), _wall.Min(), Median(_cpu));

    /// <summary>The median (the mean of the middle two for an even count, as Python's statistics.median).</summary>
    internal static double Median(IReadOnlyCollection<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
