using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InventorySync.Tests.Infrastructure;

/// <summary>
/// The log lines a host writes at the levels its filter lets through: the latest <paramref name="keep"/>.
/// </summary>
public sealed class CapturedLogs(int keep = int.MaxValue) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > keep) _lines.TryDequeue(out _);
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            logs.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
