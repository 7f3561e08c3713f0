using InventorySync.Grains.Alerts;
using InventorySync.Storage;

namespace InventorySync.Silo.Workers;

/// <summary>Sends the outbox's alert e-mails on every node; the database decides which node sends each one.</summary>
public sealed partial class OutboxWorker(IServiceScopeFactory scopes, StartupGate gate, Microsoft.Extensions.Options.IOptions<RunExecutorOptions> options,
    TimeProvider clock, ILogger<OutboxWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().SendDueAsync(stoppingToken) is > 0 and var sent) LogSent(sent);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Sent {Count} outbox messages")]
    private partial void LogSent(int count);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Sending the outbox failed")]
    private partial void LogFailed(Exception exception);
}
