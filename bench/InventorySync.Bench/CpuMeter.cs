using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace InventorySync.Bench;

/// <summary>
/// CPU seconds spent over a stretch of the bench: by this process (Silo, emulator and bench), and on Linux by the
/// whole machine (PostgreSQL included), against what its cores could give in the same wall time. The same work
/// costing more CPU seconds from one run to the next is the machine running slower, not the code taking another
/// path. It also counts the methods the JIT compiled meanwhile: many means the code was still warming up.
/// </summary>
public sealed class CpuMeter
{
    private const string MachineStat = "/proc/stat";

    private readonly TimeSpan _process = ProcessSeconds();
    private readonly double? _machine = MachineBusySeconds();
    private readonly long _compiled = JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _compiling = JitInfo.GetCompilationTime();

    /// <summary>A row for the bench's tables: CPU seconds since the meter started, against what the cores could give
    /// in <paramref name="wall"/>.</summary>
    public string Summary(TimeSpan wall)
    {
        var process = (ProcessSeconds() - _process).TotalSeconds;
        var machine = MachineBusySeconds() - _machine is { } busy ? $", {busy:F0} on the machine" : "";
        var cores = Environment.ProcessorCount;
        return $"{process:F0} in this process{machine} (its {cores} cores could give {wall.TotalSeconds * cores:F0})";
    }

    /// <summary>Methods the JIT compiled since the meter started, and the time it took: a Silo up a while compiles
    /// next to none.</summary>
    public string Compiled()
    {
        var seconds = (JitInfo.GetCompilationTime() - _compiling).TotalSeconds;
        return $"{JitInfo.GetCompiledMethodCount() - _compiled:N0} ({seconds:F1} s)";
    }

    private static TimeSpan ProcessSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
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
