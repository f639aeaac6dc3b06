using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Andes.Benchmarking;

/// <summary>
/// CPU time of the calling thread or of the whole process, in milliseconds. On a machine shared with other jobs the
/// wall clock also counts the waits for a core; the CPU time shows the work itself.
/// </summary>
public static partial class CpuClock
{
    private const int ProcessCpuTime = 2; // CLOCK_PROCESS_CPUTIME_ID
    private const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>Whether <see cref="ThreadMilliseconds"/> measures the calling thread (Linux) rather than the process.</summary>
    public static bool HasThreadClock => OperatingSystem.IsLinux();

    /// <summary>CPU time of the calling thread (Linux; elsewhere the process's).</summary>
    public static double ThreadMilliseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuTime, out TimeSpec now) == 0 ? now.Milliseconds : ProcessMilliseconds();

    /// <summary>CPU time of all the process's threads.</summary>
    public static double ProcessMilliseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ProcessCpuTime, out TimeSpec now) == 0)
        {
            return now.Milliseconds;
        }

        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;

        public readonly double Milliseconds => (Seconds * 1000.0) + (Nanoseconds / 1e6);
    }
}
