using InventorySync.Grains.Sync;
using InventorySync.Storage;
using Microsoft.Extensions.Options;

namespace InventorySync.Silo.Workers;

/// <summary>Polls for due auto-sync slots on every node; the database decides which node fires each one.</summary>
public sealed partial class ScheduleWorker(IServiceScopeFactory scopes, StartupGate gate, IOptions<RunExecutorOptions> options, TimeProvider clock,
    ILogger<ScheduleWorker> log) : PollingWorker(scopes, gate, options, clock, log)
{
    protected override async Task PollAsync(IServiceProvider services, CancellationToken ct)
    {
        foreach (var fired in await services.GetRequiredService<ScheduleDispatcher>().FireDueAsync(ct))
            LogFired(fired.TenantId, fired.Slot, fired.Outcome);
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Auto-sync slot {Slot:u} of tenant {TenantId}: {Outcome}")]
    private partial void LogFired(Guid tenantId, DateTime slot, ScheduleDispatcher.Outcome outcome);
}
