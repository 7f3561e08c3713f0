using System.Data.Common;
using InventorySync.Api.Auth;
using InventorySync.Storage;

namespace InventorySync.Silo.Workers;

/// <summary>
/// Brings the database up to date and loads the operator key, then opens the <see cref="StartupGate"/>. Runs in the
/// background so /healthz answers at once; a database that is not reachable yet is retried with backoff.
/// </summary>
public sealed partial class DatabaseStartup(IServiceScopeFactory scopes, StartupGate gate, OperatorKey operatorKey,
    TimeProvider clock, ILogger<DatabaseStartup> log) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                await operatorKey.InitializeAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), stoppingToken);
                gate.Open();
                LogReady();
                return;
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                LogRetry(e, delay);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>A database that is down or still starting is waited for; anything else (bad configuration) stops the host.</summary>
    private static bool IsUnreachable(Exception e) =>
        e is DbException or TimeoutException || e.InnerException is DbException or TimeoutException or System.Net.Sockets.SocketException;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Database ready; serving the API")]
    private partial void LogReady();

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Database not ready; retrying in {Delay}")]
    private partial void LogRetry(Exception exception, TimeSpan delay);
}
