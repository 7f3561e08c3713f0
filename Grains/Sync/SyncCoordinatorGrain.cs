using InventorySync.Grains.Documents;
using InventorySync.Grains.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Sync;

/// <summary>
/// A tenant's SyncCoordinator (S3.1–S3.4). A run lasts minutes, so the grain starts it as its own work and answers
/// at once; while it is active a short reminder keeps it resumable: if its silo dies, the reminder activates the
/// grain on another silo, which finds the run still active in the database and goes on with it (documents whose
/// send may have reached Xero are looked up there before they are created again). The auto-sync schedule is a
/// second reminder; pulling payments from Xero a third, and the start of every run.
/// </summary>
public sealed partial class SyncCoordinatorGrain(
    IServiceScopeFactory scopes, DocumentGrains grains, IHostApplicationLifetime host, TimeProvider clock,
    IOptions<PaymentPullOptions> pullOptions, ILogger<SyncCoordinatorGrain> log,
    [PersistentState("payment-pull", GrainsRegistration.GrainStorage)] IPersistentState<PaymentPullState> pull)
    : Grain, ISyncCoordinatorGrain, IRemindable
{
    private const string AutoSyncReminder = "auto-sync";
    private const string ResumeReminder = "resume-run";
    private const string PullReminder = "pull-payments";

    /// <summary>One pull at a time: the reminder's and a run's may meet.</summary>
    private readonly SemaphoreSlim _pulling = new(1, 1);

    /// <summary>Orleans' shortest reminder period: a run whose silo died goes on within about this long.</summary>
    private static readonly TimeSpan ResumeEvery = TimeSpan.FromMinutes(1);

    /// <summary>Stops the run when the grain deactivates or its host begins to stop, with or without goodbye.</summary>
    private readonly CancellationTokenSource _stopping =
        CancellationTokenSource.CreateLinkedTokenSource(host.ApplicationStopping);

    /// <summary>The run this activation executes; the database, not this, says which run is active.</summary>
    private Task _execution = Task.CompletedTask;

    /// <summary>Attachments added to orders already in Xero, exported one after another as they come.</summary>
    private Task _exports = Task.CompletedTask;

    private Guid TenantId => this.GetPrimaryKey();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The run stops where it is; the resume reminder lets the next activation, here or on another silo, go on.
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_execution, _exports).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the silo would not wait any longer
        }
    }

    public async Task<Guid> SyncNowAsync(string startedBy)
    {
        var active = await ResumeAsync();
        await using var scope = scopes.CreateAsyncScope();
        var runId = await scope.ServiceProvider.GetRequiredService<RunStarter>()
            .StartManualAsync(TenantId, startedBy, active, _stopping.Token);
        await ExecuteAsync(runId);
        return runId;
    }

    public Task ExportAttachmentAsync(Guid attachmentId)
    {
        _exports = ExportAfterAsync(_exports, attachmentId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// One export after the ones asked before it; a failure is logged, and the attachment goes with the next run
    /// (which exports whatever is owed).
    /// </summary>
    private async Task ExportAfterAsync(Task before, Guid attachmentId)
    {
        await before;
        await Task.Yield();
        try
        {
            await grains.Attachment(TenantId, attachmentId)
                .ExportAsync(new AttachmentExportStart(RunId: null, RetryFailed: false));
        }
        catch (Exception e)
        {
            LogExportFailed(e, attachmentId);
        }
    }

    public async Task<ReconciliationBudget> ReconcileAsync(ReconciliationStart start)
    {
        await using var scope = scopes.CreateAsyncScope();
        var budget = await scope.ServiceProvider.GetRequiredService<ReconciliationPlanner>()
            .AdmitAsync(TenantId, start, _stopping.Token);
        // Started here, the report's calls share this silo's limiter for the organisation with the runs.
        if (budget.Started)
            await GrainFactory.GetGrain<IReconciliationGrain>(start.ReportId, TenantId.ToString("D")).StartAsync();
        return budget;
    }

    public async Task FollowScheduleAsync()
    {
        await ResumeAsync();
        await using var scope = scopes.CreateAsyncScope();
        var schedule = await scope.ServiceProvider.GetRequiredService<Schedules>().FindAsync(TenantId, _stopping.Token);
        if (schedule is null) await ForgetAsync(AutoSyncReminder);
        else await RemindAtAsync(schedule.NextDueUtc, TimeSpan.FromSeconds(schedule.PeriodSeconds));
        var pulls = await scope.ServiceProvider.GetRequiredService<PaymentPull>().PullsAsync(TenantId, _stopping.Token);
        if (!pulls) await ForgetAsync(PullReminder);
        else if (await this.GetReminder(PullReminder) is null)
            await this.RegisterOrUpdateReminder(PullReminder, pullOptions.Value.PullEvery, pullOptions.Value.PullEvery);
    }

    public Task<int> PullPaymentsAsync() => PullAsync(runId: null);

    private async Task<int> PullAsync(Guid? runId)
    {
        await _pulling.WaitAsync(_stopping.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pulled = await scope.ServiceProvider.GetRequiredService<PaymentPull>()
                .PullAsync(TenantId, runId, pull.State.Cursor, _stopping.Token);
            if (pulled.Cursor != pull.State.Cursor)
            {
                pull.State.Cursor = pulled.Cursor;
                await pull.WriteStateAsync(_stopping.Token);
            }
            return pulled.Changed.Count;
        }
        finally
        {
            _pulling.Release();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            if (reminderName == AutoSyncReminder) await FireSlotAsync(status);
            // A run pulls at its start: while one is under way the reminder's pull would only meet its sends.
            else if (reminderName == PullReminder && _execution.IsCompleted) await PullAsync(runId: null);
            else if (reminderName == ResumeReminder && await ResumeAsync() is null) await ForgetAsync(ResumeReminder);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The host is stopping: the reminder ticks again wherever the grain lives next.
        }
    }

    private async Task FireSlotAsync(TickStatus tick)
    {
        var active = await ResumeAsync();
        await using var scope = scopes.CreateAsyncScope();
        var fired = await scope.ServiceProvider.GetRequiredService<AutoSyncSlots>()
            .FireAsync(TenantId, active is not null, _stopping.Token);
        if (fired is null)
        {
            await ForgetAsync(AutoSyncReminder);
            return;
        }
        if (fired.Outcome != AutoSyncSlots.Outcome.NotDue) LogSlot(TenantId, fired.Slot, fired.Outcome);
        if (fired.RunId is { } runId) await ExecuteAsync(runId);
        // A fixed period drifts from daily slots kept at one local time across daylight saving: realign when they
        // part.
        if ((tick.CurrentTickTime + tick.Period - fired.NextDueUtc).Duration() > TimeSpan.FromSeconds(1))
            await RemindAtAsync(fired.NextDueUtc, fired.Period);
    }

    /// <summary>
    /// The run the database says is active, if any; one left by a stopped activation (here or on a silo that died)
    /// goes on here. Every call on the grain starts with this one look, so that each acts on the database's truth.
    /// </summary>
    private async Task<Guid?> ResumeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var active = await scope.ServiceProvider.GetRequiredService<RunStarter>()
            .ActiveRunAsync(TenantId, _stopping.Token);
        if (active is { } runId && _execution.IsCompleted)
        {
            LogResuming(runId);
            await ExecuteAsync(runId);
        }
        return active;
    }

    private async Task ExecuteAsync(Guid runId)
    {
        await this.RegisterOrUpdateReminder(ResumeReminder, ResumeEvery, ResumeEvery);
        _execution = ExecuteRunAsync(runId);
    }

    private async Task ExecuteRunAsync(Guid runId)
    {
        // Let the caller have its answer before the run's first step.
        await Task.Yield();
        try
        {
            await PullBeforeRunAsync(runId);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SyncRun>()
                .ExecuteAsync(runId, RuntimeIdentity, _stopping.Token);
            LogFinished(runId);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            LogStopped(runId);
        }
        catch (Exception e)
        {
            // The run stays active in the database: the next resume reminder tries again.
            LogFailed(e, runId);
        }
    }

    /// <summary>A run starts with what Xero has; a pull that fails leaves the run to meet Xero itself.</summary>
    private async Task PullBeforeRunAsync(Guid runId)
    {
        try
        {
            await PullAsync(runId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPullFailed(e, runId);
        }
    }

    private Task RemindAtAsync(DateTime dueUtc, TimeSpan period)
    {
        var due = dueUtc - clock.GetUtcNow().UtcDateTime;
        return this.RegisterOrUpdateReminder(AutoSyncReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, period);
    }

    private async Task ForgetAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Run {RunId} finished")]
    private partial void LogFinished(Guid runId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning,
        Message = "Run {RunId} stopped with its grain; it resumes on the next activation")]
    private partial void LogStopped(Guid runId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error,
        Message = "Run {RunId} failed; the resume reminder tries it again")]
    private partial void LogFailed(Exception exception, Guid runId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information,
        Message = "Resuming run {RunId}, left active by a stopped activation")]
    private partial void LogResuming(Guid runId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning,
        Message = "Attachment {AttachmentId} was not exported now; the next run exports it")]
    private partial void LogExportFailed(Exception exception, Guid attachmentId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning,
        Message = "Payments were not pulled from Xero before run {RunId}; the run goes on")]
    private partial void LogPullFailed(Exception exception, Guid runId);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
        Message = "Auto-sync slot {Slot:u} of tenant {TenantId}: {Outcome}")]
    private partial void LogSlot(Guid tenantId, DateTime slot, AutoSyncSlots.Outcome outcome);
}
