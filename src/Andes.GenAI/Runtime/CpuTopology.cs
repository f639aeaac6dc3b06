using System.Globalization;

namespace Andes.GenAI;

/// <summary>
/// The physical cores this process may run on, for the default intra-op thread count. ONNX Runtime's own default
/// can undercount on Linux virtual machines: on a 2-vCPU AMD EPYC VM whose sysfs topology lists two cores with one
/// thread each, it ran one thread, and decode of the <c>1b</c> int4 model took 25 ms per token instead of 16.5 ms.
/// </summary>
internal static class CpuTopology
{
    private static readonly Lazy<int?> Cores = new(Detect);

    /// <summary>
    /// On Linux: the distinct (package, core) pairs among the CPUs in the process's affinity mask
    /// (<c>Cpus_allowed_list</c> of <c>/proc/self/status</c>), capped at
    /// <see cref="Environment.ProcessorCount"/> (which honours cgroup CPU limits); null elsewhere or when the topology
    /// cannot be read (ONNX Runtime's default applies then).
    /// </summary>
    public static int? PhysicalCoresAvailable => Cores.Value;

    /// <summary>Counts distinct (physical_package_id, core_id) pairs of <paramref name="cpus"/> under a sysfs CPU folder.</summary>
    /// <param name="cpuRoot">The folder holding <c>cpuN/topology</c> (normally <c>/sys/devices/system/cpu</c>).</param>
    /// <param name="cpus">The logical CPU numbers to count.</param>
    /// <returns>The count, or null when a CPU's topology is missing or unreadable.</returns>
    internal static int? CountPhysicalCores(string cpuRoot, IEnumerable<int> cpus)
    {
        var cores = new HashSet<(int Package, int Core)>();
        foreach (int cpu in cpus)
        {
            string topology = Path.Combine(cpuRoot, "cpu" + cpu.ToString(CultureInfo.InvariantCulture), "topology");
            if (ReadInt(Path.Combine(topology, "physical_package_id")) is not int package || ReadInt(Path.Combine(topology, "core_id")) is not int core)
            {
                return null;
            }

            cores.Add((package, core));
        }

        return cores.Count == 0 ? null : cores.Count;
    }

    private static int? Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // /proc/self/status lists the CPUs of the affinity mask whatever their number (Process.ProcessorAffinity stops at 64).
            string? allowed = File.ReadLines("/proc/self/status")
                .FirstOrDefault(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?["Cpus_allowed_list:".Length..];
            if (allowed is null || ParseCpuList(allowed) is not { } cpus)
            {
                return null;
            }

            return CountPhysicalCores("/sys/devices/system/cpu", cpus) is int count ? Math.Min(count, Environment.ProcessorCount) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses a Linux CPU list such as <c>0-3,8,10-11</c>; null when it is malformed.</summary>
    internal static IReadOnlyList<int>? ParseCpuList(string list)
    {
        var cpus = new List<int>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int single))
                {
                    return null;
                }

                cpus.Add(single);
                continue;
            }

            if (!int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first || last - first > 1 << 16)
            {
                return null;
            }

            for (int cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus.Count == 0 ? null : cpus;
    }

    private static int? ReadInt(string file)
    {
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
