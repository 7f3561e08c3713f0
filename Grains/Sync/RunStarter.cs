using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// The one code path that creates runs (S3.1, S3.2), called by the tenant's <see cref="SyncCoordinatorGrain"/> for
/// manual and auto runs alike. The unique partial index on active runs is the last guard behind the grain.
/// </summary>
public sealed class RunStarter(
    AppDb db, MaintenanceWindows maintenance, Activity.ActivityLog activity, TimeProvider clock)
{
    /// <summary>Adds a queued run to the unit of work; the caller's save creates it.</summary>
    public Run Add(Guid tenantId, RunTrigger trigger, string startedBy)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Trigger = trigger, StartedBy = startedBy,
            State = RunState.Queued, Cutoff = now, CreatedAt = now,
        };
        db.Runs.Add(run);
        return run;
    }

    public Task<bool> IsConnectedAsync(Guid tenantId, CancellationToken ct) =>
        db.XeroConnections.AnyAsync(c => c.TenantId == tenantId && c.Status == ConnectionStatus.Connected, ct);

    public Task<Guid?> ActiveRunAsync(Guid tenantId, CancellationToken ct) =>
        db.Runs.Where(r => r.TenantId == tenantId && (r.State == RunState.Queued || r.State == RunState.Running))
            .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// "Sync now": a new run, or a refusal naming why (maintenance, the <paramref name="activeRun"/> the caller just
    /// read, no connection).
    /// </summary>
    public async Task<Guid> StartManualAsync(Guid tenantId, string startedBy, Guid? activeRun, CancellationToken ct)
    {
        if (await maintenance.CoveringAsync(clock.GetUtcNow().UtcDateTime, ct) is { } window)
            await RefuseAsync(tenantId, startedBy, new MaintenanceException(window.EndsAt, window.Reason), ct);
        if (activeRun is { } active) await RefuseAsync(tenantId, startedBy, new RunConflictException(active), ct);
        if (!await IsConnectedAsync(tenantId, ct))
            await RefuseAsync(tenantId, startedBy, new ConflictException(
                "The tenant is not connected to Xero (or needs to authorise again); connect it before syncing."), ct);
        var run = Add(tenantId, RunTrigger.Manual, startedBy);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await ActiveRunAsync(tenantId, ct) is { } id)
                await RefuseAsync(tenantId, startedBy, new RunConflictException(id), ct);
            throw;
        }
        return run.Id;
    }

    /// <summary>A refused manual sync is an activity entry (S7), then the caller's problem.</summary>
    private async Task RefuseAsync(Guid tenantId, string startedBy, Exception refusal, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        activity.Add(tenantId, ActivityType.SyncRefused, startedBy,
            $"Manual sync by {startedBy} refused: {refusal.Message}");
        await db.SaveChangesAsync(ct);
        throw refusal;
    }
}
