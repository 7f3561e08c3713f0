using InventorySync.Grains.Alerts;
using InventorySync.Storage;
using Microsoft.Extensions.Options;

namespace InventorySync.Silo.Workers;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often each node looks for alert e-mails and webhook deliveries due to be sent.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Sends the outbox's alert e-mails and payments webhooks from every node once the database is ready; the database
/// decides which node sends each one. A failed poll is logged and the next one comes.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes, StartupGate gate, IOptions<OutboxOptions> options, TimeProvider clock,
    ILogger<OutboxWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outbox = scope.ServiceProvider.GetRequiredService<OutboxDelivery>();
                if (await outbox.SendDueAsync(stoppingToken) is > 0 and var sent) LogSent(sent);
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

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Looking for outbox messages to send failed")]
    private partial void LogFailed(Exception exception);
}
