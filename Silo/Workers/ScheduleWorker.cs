using InventorySync.Grains.Sync;
using InventorySync.Storage;

namespace InventorySync.Silo.Workers;

/// <summary>Polls for due auto-sync slots on every node; the database decides which node fires each one.</summary>
public sealed partial class ScheduleWorker(IServiceScopeFactory scopes, StartupGate gate, Microsoft.Extensions.Options.IOptions<RunExecutorOptions> options,
    TimeProvider clock, ILogger<ScheduleWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                foreach (var fired in await scope.ServiceProvider.GetRequiredService<ScheduleDispatcher>().FireDueAsync(stoppingToken))
                    LogFired(fired.TenantId, fired.Slot, fired.Outcome);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Auto-sync slot {Slot:u} of tenant {TenantId}: {Outcome}")]
    private partial void LogFired(Guid tenantId, DateTime slot, ScheduleDispatcher.Outcome outcome);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Firing auto-sync slots failed")]
    private partial void LogFailed(Exception exception);
}
