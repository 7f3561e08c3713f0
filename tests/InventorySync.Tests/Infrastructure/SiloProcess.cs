using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InventorySync.Tests.Infrastructure;

/// <summary>The built Silo, run by <c>dotnet</c> as its own process, as an operator starts it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(Regex Pattern, int Lines, TaskCompletionSource<Match> Seen)> _waits = [];

    private SiloProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Seen(line.Data);
        _process.ErrorDataReceived += (_, line) => Seen(line.Data);
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output => string.Join('\n', _output);

    public static SiloProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var siloDll = Path.Combine(AppContext.BaseDirectory, "InventorySync.Silo.dll");
        var start = new ProcessStartInfo("dotnet", [siloDll, .. args])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["Orleans__SiloPort"] = $"{Ports.Free()}";
        start.Environment["Orleans__GatewayPort"] = $"{Ports.Free()}";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var silo = new SiloProcess(start);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>
    /// The first match of <paramref name="pattern"/> over the last <paramref name="lines"/> lines printed.
    /// </summary>
    public async Task<Match> WaitForAsync(Regex pattern, int lines = 1)
    {
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits) _waits.Add((pattern, lines, seen));
        Seen(null);
        try
        {
            return await seen.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the Silo never printed {pattern}:\n{Output}");
        }
    }

    /// <summary>The exit code of a process expected to stop by itself.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Seen(string? line)
    {
        if (line is not null) _output.Enqueue(line);
        lock (_waits)
            foreach (var (pattern, lines, seen) in _waits)
                if (pattern.Match(string.Join('\n', _output.TakeLast(lines))) is { Success: true } match)
                    seen.TrySetResult(match);
    }
}
