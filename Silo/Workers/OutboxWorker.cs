using InventorySync.Grains.Alerts;
using InventorySync.Storage;
using Microsoft.Extensions.Options;

namespace InventorySync.Silo.Workers;

/// <summary>Sends the outbox's alert e-mails from every node; the database decides which node sends each one.</summary>
public sealed partial class OutboxWorker(IServiceScopeFactory scopes, StartupGate gate, IOptions<RunExecutorOptions> options, TimeProvider clock,
    ILogger<OutboxWorker> log) : PollingWorker(scopes, gate, options, clock, log)
{
    protected override async Task PollAsync(IServiceProvider services, CancellationToken ct)
    {
        if (await services.GetRequiredService<OutboxDelivery>().SendDueAsync(ct) is > 0 and var sent) LogSent(sent);
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Sent {Count} outbox messages")]
    private partial void LogSent(int count);
}
