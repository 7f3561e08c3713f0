using InventorySync.Grains.Sync;
using InventorySync.Storage;

namespace InventorySync.Silo.Workers;

public sealed class RunExecutorOptions
{
    public const string Section = "Runs";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int MaxConcurrentRuns { get; set; } = 4;
}

/// <summary>
/// Executes the runs of every tenant, on every node: claims a queued run (or one whose node died), keeps its lease
/// alive while it runs, and stops writing if another node has taken it over.
/// </summary>
public sealed partial class RunExecutor(IServiceScopeFactory scopes, StartupGate gate, Microsoft.Extensions.Options.IOptions<RunExecutorOptions> options,
    TimeProvider clock, ILogger<RunExecutor> log) : BackgroundService
{
    private int _running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (Volatile.Read(ref _running) < options.Value.MaxConcurrentRuns && await ClaimAsync(stoppingToken) is { } claim)
                {
                    Interlocked.Increment(ref _running);
                    _ = Task.Run(() => ExecuteAsync(claim, stoppingToken), CancellationToken.None);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(e);
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
        }
    }

    private async Task<RunClaims.Claimed?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RunClaims>().ClaimNextAsync(ct);
    }

    private async Task ExecuteAsync(RunClaims.Claimed claim, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewAsync(claim, run);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SyncRun>().ExecuteAsync(claim, run.Token);
            LogFinished(claim.RunId);
        }
        catch (Exception e) when (e is LostLeaseException or OperationCanceledException)
        {
            LogLost(claim.RunId);
        }
        catch (Exception e)
        {
            // The lease runs out and another attempt (here or on another node) picks the run up again.
            LogFailed(e, claim.RunId);
        }
        finally
        {
            await run.CancelAsync();
            await renewing;
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Renews the run's lease at a third of its length; losing it cancels the run.</summary>
    private async Task RenewAsync(RunClaims.Claimed claim, CancellationTokenSource run)
    {
        try
        {
            while (!run.IsCancellationRequested)
            {
                await Task.Delay(RunClaims.Lease / 3, clock, run.Token);
                await using var scope = scopes.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<RunClaims>().RenewAsync(claim, run.Token))
                {
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Run {RunId} finished")]
    private partial void LogFinished(Guid runId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Run {RunId} was taken over by another node or stopped")]
    private partial void LogLost(Guid runId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Run {RunId} failed; it will be picked up again when its lease expires")]
    private partial void LogFailed(Exception exception, Guid runId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Looking for runs to execute failed")]
    private partial void LogPollFailed(Exception exception);
}
