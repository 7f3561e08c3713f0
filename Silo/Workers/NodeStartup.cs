using System.Data.Common;
using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains;
using InventorySync.Storage;
using InventorySync.Storage.KeyRing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InventorySync.Silo.Workers;

/// <summary>
/// Brings the database up to date (Orleans' tables included), checks the key ring and loads the operator key,
/// starts the Orleans silo and its dashboard, then opens the <see cref="StartupGate"/>. Runs in the background so
/// /healthz answers at once; a database that is not reachable yet is retried with backoff. A start that fails for
/// good fails the gate.
/// </summary>
public sealed partial class NodeStartup(
    IServiceScopeFactory scopes, StartupGate gate, OperatorKey operatorKey, Orleans.Runtime.Silo silo,
    IEnumerable<Orleans.IConfigurationValidator> validators, IGrainFactory grains, IOptions<StorageOptions> storage,
    [FromKeyedServices(SiloRegistration.DashboardKey)] IHostedService dashboard, IEnumerable<IBeforeServing> steps,
    TimeProvider clock, ILogger<NodeStartup> log) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private bool _siloStarted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await MigrateAsync(stoppingToken);
            foreach (var validator in validators) validator.ValidateConfiguration();
            await silo.StartAsync(stoppingToken);
            _siloStarted = true;
            await dashboard.StartAsync(stoppingToken);
            foreach (var step in steps) await step.RunAsync(stoppingToken);
            if (storage.Value.Provider == DatabaseProvider.Sqlite) await FollowSchedulesAsync(stoppingToken);
            gate.Open();
            LogReady();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            gate.Fail(e);
            throw;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_siloStarted) await silo.StopAsync(cancellationToken);
    }

    private async Task MigrateAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                await scope.ServiceProvider.GetRequiredService<KeyRingGuard>().EnsureProtectedAsync(stoppingToken);
                await operatorKey.InitializeAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), stoppingToken);
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

    /// <summary>
    /// A single node keeps its reminders in memory: every tenant with a schedule or a payments pull gets its reminders
    /// again, and activating its coordinator also resumes a run the last process left active (ADR 0016).
    /// </summary>
    private async Task FollowSchedulesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var pulling = db.XeroConnections.Where(c => c.Status == ConnectionStatus.Connected).Select(c => c.TenantId)
            .Intersect(db.Settings.Where(s => s.PaymentDirection != PaymentDirection.Push).Select(s => s.TenantId));
        var tenants = await db.Schedules.Select(s => s.TenantId)
            .Union(db.Runs.Where(r => r.State == RunState.Queued || r.State == RunState.Running)
                .Select(r => r.TenantId))
            .Union(pulling)
            .ToListAsync(ct);
        foreach (var tenantId in tenants) await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).FollowScheduleAsync();
    }

    /// <summary>
    /// A database that is down or still starting is waited for; anything else (bad configuration) stops the host.
    /// </summary>
    private static bool IsUnreachable(Exception e) =>
        e is DbException or TimeoutException
        || e.InnerException is DbException or TimeoutException or System.Net.Sockets.SocketException;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Database ready and silo started; serving the API")]
    private partial void LogReady();

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Database not ready; retrying in {Delay}")]
    private partial void LogRetry(Exception exception, TimeSpan delay);
}
