using InventorySync.Contracts;
using InventorySync.Storage;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Fires a tenant's due auto-sync slot when its reminder ticks (S3.3, S3.4). A slot inside a maintenance window is
/// postponed to the first slot after the window; a slot that finds a run active starts nothing and waits for the next
/// slot. Moving the schedule on, the activity entry and the run are one save.
/// </summary>
public sealed class AutoSyncSlots(
    AppDb db, MaintenanceWindows maintenance, RunStarter runs, Activity.ActivityLog activity, TimeProvider clock)
{
    public enum Outcome { Started, Postponed, AlreadyRunning, NotConnected, NotDue }

    public sealed record Fired(DateTime Slot, DateTime NextDueUtc, TimeSpan Period, Outcome Outcome, Guid? RunId);

    /// <summary>What the slot did; null when the tenant has no schedule any more.</summary>
    public async Task<Fired?> FireAsync(Guid tenantId, bool runActive, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        if (schedule is null) return null;
        var (slot, now) = (schedule.NextDueUtc, clock.GetUtcNow().UtcDateTime);
        var period = TimeSpan.FromSeconds(schedule.PeriodSeconds);
        if (slot > now) return new Fired(slot, slot, period, Outcome.NotDue, null);
        var window = await maintenance.CoveringAsync(now, ct);
        // After downtime the next slot is the first one still ahead: missed slots are skipped, not replayed.
        schedule.NextDueUtc = Schedules.NextSlot(schedule, window?.EndsAt > now ? window.EndsAt.AddTicks(-1) : now);
        var outcome = window is not null ? Outcome.Postponed
            : runActive ? Outcome.AlreadyRunning
            : await runs.IsConnectedAsync(tenantId, ct) ? Outcome.Started : Outcome.NotConnected;
        var run = outcome == Outcome.Started ? runs.Add(tenantId, RunTrigger.Auto, "auto-sync") : null;
        var fired = new Fired(slot, schedule.NextDueUtc, period, outcome, run?.Id);
        Log(tenantId, fired);
        await db.SaveChangesAsync(ct);
        return fired;
    }

    private void Log(Guid tenantId, Fired fired)
    {
        var slot = $"The auto-sync slot of {fired.Slot:yyyy-MM-dd HH:mm} UTC";
        var next = $"{fired.NextDueUtc:yyyy-MM-dd HH:mm} UTC";
        switch (fired.Outcome)
        {
            case Outcome.Postponed:
                activity.Add(tenantId, ActivityType.SlotPostponed, null,
                    $"{slot} falls in a maintenance window: postponed to {next}");
                break;
            case Outcome.AlreadyRunning:
                activity.Add(tenantId, ActivityType.SlotSkipped, null,
                    $"{slot} found a run active: it waits for the next slot, {next}");
                break;
            case Outcome.NotConnected:
                activity.Add(tenantId, ActivityType.SlotSkipped, null,
                    $"{slot} started nothing: the tenant is not connected to Xero (auto-sync is paused)");
                break;
        }
    }
}
