namespace Andes.Benchmarking;

/// <summary>The summary of one benchmark step's runs, in milliseconds.</summary>
/// <param name="Runs">The number of timed runs.</param>
/// <param name="WallMedian">The median wall-clock time.</param>
/// <param name="WallMin">The fastest wall-clock time.</param>
/// <param name="CpuMedian">The median CPU time (thread or process, as the caller measured).</param>
public sealed record StepTiming(int Runs, double WallMedian, double WallMin, double CpuMedian);
