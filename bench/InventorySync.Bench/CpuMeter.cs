using System.Diagnostics;
using System.Globalization;

namespace InventorySync.Bench;

/// <summary>
/// CPU seconds spent over a stretch of the bench: by this process (Silo, emulator and bench), and on Linux by the
/// whole machine (PostgreSQL included), against what its cores could give in the same wall time. The same work
/// costing more CPU seconds from one run to the next is the machine running slower, not the code taking another
/// path.
/// </summary>
public sealed class CpuMeter
{
    private const string MachineStat = "/proc/stat";

    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double? _machine = MachineBusySeconds();

    /// <summary>A row for the bench's tables: process seconds, and the machine's busy seconds of its capacity.
    /// </summary>
    public string Summary()
    {
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var capacity = _wall.Elapsed.TotalSeconds * Environment.ProcessorCount;
        return MachineBusySeconds() is { } now && _machine is { } then
            ? $"{process:F0} in this process, {now - then:F0} on the machine " +
              $"(its {Environment.ProcessorCount} cores could give {capacity:F0})"
            : $"{process:F0} in this process (its {Environment.ProcessorCount} cores could give {capacity:F0})";
    }

    /// <summary>The first line of /proc/stat: clock ticks (100 a second on Linux) busy since boot, all cores.
    /// </summary>
    private static double? MachineBusySeconds()
    {
        if (!File.Exists(MachineStat)) return null;
        var ticks = File.ReadLines(MachineStat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        // user, nice, system, idle, iowait, irq, softirq, steal: guest time is already counted in user.
        return (ticks.Take(8).Sum() - ticks[3] - ticks[4]) / 100;
    }
}
