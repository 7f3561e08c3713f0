using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Fires due auto-sync slots. Every node polls; each slot is claimed by a conditional update on the schedule's
/// version, so it fires once across the cluster. A slot inside a maintenance window is postponed to the first slot
/// after the window; a slot that finds a run already active does not start one and waits for the next slot.
/// </summary>
public sealed class ScheduleDispatcher(AppDb db, MaintenanceWindows maintenance, Activity.ActivityLog activity, TimeProvider clock)
{
    public enum Outcome { Started, Postponed, AlreadyRunning, NotConnected }

    public sealed record Fired(Guid TenantId, DateTime Slot, Outcome Outcome, Guid? RunId);

    public async Task<IReadOnlyList<Fired>> FireDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Schedules.AsNoTracking().Where(s => s.NextDueUtc <= now).OrderBy(s => s.NextDueUtc).Take(100).ToListAsync(ct);
        var fired = new List<Fired>();
        foreach (var schedule in due)
        {
            var window = await maintenance.CoveringAsync(now, ct);
            var next = Schedules.NextSlot(schedule, window?.EndsAt > now ? window.EndsAt.AddTicks(-1) : now);
            if (await FireAsync(schedule, next, window is null, now, ct) is { } outcome) fired.Add(outcome);
        }
        return fired;
    }

    /// <summary>
    /// Claims the slot and starts its run in one transaction: either both happen or neither does. A slot that starts
    /// nothing says why in the activity report, in the same transaction.
    /// </summary>
    private async Task<Fired?> FireAsync(Schedule schedule, DateTime next, bool start, DateTime now, CancellationToken ct)
    {
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            if (!await ClaimAsync(schedule, next, ct)) return null;
            var fired = start ? await StartAsync(schedule, now, ct) : new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.Postponed, null);
            if (fired.Outcome != Outcome.AlreadyRunning)
            {
                await LogAsync(fired, next, ct);
                await tx.CommitAsync(ct);
                return fired;
            }
        }
        // A run is active (a manual one, say): this slot starts nothing and the schedule waits for its next slot.
        db.ChangeTracker.Clear();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            if (!await ClaimAsync(schedule, next, ct)) return null;
            var skipped = new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.AlreadyRunning, null);
            await LogAsync(skipped, next, ct);
            await tx.CommitAsync(ct);
            return skipped;
        }
    }

    private async Task LogAsync(Fired fired, DateTime next, CancellationToken ct)
    {
        var slot = $"The auto-sync slot of {fired.Slot:yyyy-MM-dd HH:mm} UTC";
        switch (fired.Outcome)
        {
            case Outcome.Postponed:
                activity.Add(fired.TenantId, ActivityType.SlotPostponed, null, $"{slot} falls in a maintenance window: postponed to {next:yyyy-MM-dd HH:mm} UTC");
                break;
            case Outcome.AlreadyRunning:
                activity.Add(fired.TenantId, ActivityType.SlotSkipped, null, $"{slot} found a run active: it waits for the next slot, {next:yyyy-MM-dd HH:mm} UTC");
                break;
            case Outcome.NotConnected:
                activity.Add(fired.TenantId, ActivityType.SlotSkipped, null, $"{slot} started nothing: the tenant is not connected to Xero (auto-sync is paused)");
                break;
            default:
                return;
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> ClaimAsync(Schedule schedule, DateTime next, CancellationToken ct) =>
        await db.Schedules.Where(s => s.TenantId == schedule.TenantId && s.Version == schedule.Version)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.NextDueUtc, next).SetProperty(s => s.Version, schedule.Version + 1), ct) == 1;

    private async Task<Fired> StartAsync(Schedule schedule, DateTime now, CancellationToken ct)
    {
        var connected = await db.XeroConnections.AnyAsync(c => c.TenantId == schedule.TenantId && c.Status == ConnectionStatus.Connected, ct);
        if (!connected) return new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.NotConnected, null);
        var run = new Run
        {
            Id = Guid.CreateVersion7(), TenantId = schedule.TenantId, Trigger = RunTrigger.Auto, StartedBy = "auto-sync", State = RunState.Queued,
            Cutoff = now, CreatedAt = now,
        };
        if (await db.Runs.AnyAsync(r => r.TenantId == schedule.TenantId && (r.State == RunState.Queued || r.State == RunState.Running), ct))
            return new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.AlreadyRunning, null);
        db.Runs.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.Started, run.Id);
        }
        catch (DbUpdateException)
        {
            // Another start won the unique index between the check and the insert.
            return new Fired(schedule.TenantId, schedule.NextDueUtc, Outcome.AlreadyRunning, null);
        }
    }
}
