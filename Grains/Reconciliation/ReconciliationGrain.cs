using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace InventorySync.Grains.Reconciliation;

/// <summary>
/// A reconciliation report as its own work. Its progress is the report row: a report left running by a silo that
/// died is started again from the beginning by the reminder on another silo, never half-compared.
/// </summary>
[PreferLocalPlacement] // on the silo of the tenant's coordinator, whose calls share the organisation's limits
public sealed partial class ReconciliationGrain(
    IServiceScopeFactory scopes, IHostApplicationLifetime host, ILogger<ReconciliationGrain> log)
    : Grain, IReconciliationGrain, IRemindable
{
    private const string KeepGoing = "reconciliation";
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping =
        CancellationTokenSource.CreateLinkedTokenSource(host.ApplicationStopping);

    private Task _work = Task.CompletedTask;

    public async Task StartAsync()
    {
        if (!_work.IsCompleted) return;
        await this.RegisterOrUpdateReminder(KeepGoing, Every, Every);
        _work = RunAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => StartAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _work.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the silo would not wait any longer; the reminder starts the report again
        }
    }

    private async Task RunAsync()
    {
        // Let the caller have its answer first.
        await Task.Yield();
        var reportId = this.GetPrimaryKey(out var tenant);
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<ReconciliationReport>()
                    .RunAsync(Guid.Parse(tenant!), reportId, _stopping.Token);
            if (await this.GetReminder(KeepGoing) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping with the silo: the reminder starts the report again elsewhere
        }
        catch (Exception e)
        {
            LogFailed(e, reportId);
        }
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Error,
        Message = "Reconciliation {ReportId} failed; its reminder starts it again")]
    private partial void LogFailed(Exception exception, Guid reportId);
}
