using InventorySync.Storage;
using Microsoft.Extensions.Options;

namespace InventorySync.Silo.Workers;

/// <summary>
/// A loop every node runs once the database is ready: a poll per interval, each in its own scope; a failed poll is
/// logged and the next one comes. The database decides which node acts on what a poll finds.
/// </summary>
public abstract partial class PollingWorker(IServiceScopeFactory scopes, StartupGate gate, IOptions<RunExecutorOptions> options, TimeProvider clock,
    ILogger log) : BackgroundService
{
    protected abstract Task PollAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await PollAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(log, e, GetType().Name);
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "A poll of {Worker} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string worker);
}
