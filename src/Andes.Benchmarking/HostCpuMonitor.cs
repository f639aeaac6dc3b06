using System.Globalization;

namespace Andes.Benchmarking;

/// <summary>
/// How much of the machine other processes used while a measurement ran (Linux: the host's busy time in
/// <c>/proc/stat</c> minus this process's in <c>/proc/self/stat</c>), so benchmarks on shared machines can keep only
/// the runs that had the cores to themselves.
/// </summary>
public static class HostCpuMonitor
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>A reading; null where the files are not available.</summary>
    public static (long HostBusyTicks, long OwnTicks, long Timestamp)? Sample()
    {
        try
        {
            if (!File.Exists("/proc/stat") || !File.Exists("/proc/self/stat"))
            {
                return null;
            }

            string[] cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            for (int i = 1; i < cpu.Length && i <= 8; i++)
            {
                if (i is not 4 and not 5) // idle, iowait
                {
                    busy += long.Parse(cpu[i], CultureInfo.InvariantCulture);
                }
            }

            string self = File.ReadAllText("/proc/self/stat");
            string[] fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            long own = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
            return (busy, own, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The share of all cores (0..1) other processes used between two readings; null when unknown.</summary>
    public static double? OthersShare((long HostBusyTicks, long OwnTicks, long Timestamp)? start, (long HostBusyTicks, long OwnTicks, long Timestamp)? end)
    {
        if (start is not { } a || end is not { } b)
        {
            return null;
        }

        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp).TotalSeconds;
        if (seconds <= 0)
        {
            return null;
        }

        double others = (b.HostBusyTicks - a.HostBusyTicks) - (b.OwnTicks - a.OwnTicks);
        return Math.Clamp(others / (seconds * TicksPerSecond * Environment.ProcessorCount), 0, 1);
    }
}
