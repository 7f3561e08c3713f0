using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Auto-sync schedules (S3.3): slots at start + n·period, anchored to the start. Daily slots keep their local time
/// in the tenant's time zone; minute and hour slots count in UTC. After downtime the next slot is the first one
/// still ahead, so missed slots are skipped, not replayed.
/// </summary>
public sealed class Schedules(AppDb db, TimeProvider clock)
{
    /// <summary>Makes the schedule follow the tenant's auto-sync settings (called whenever they change).</summary>
    public async Task ApplyAsync(Guid tenantId, TenantSettings s, string timeZone, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(x => x.TenantId == tenantId, ct);
        if (!s.AutoSyncEnabled || s.AutoSyncStartDate is not { } date || s.AutoSyncStartTime is not { } time)
        {
            if (schedule is not null) db.Schedules.Remove(schedule);
            return;
        }
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var startUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(date.ToDateTime(time), DateTimeKind.Unspecified), zone);
        var period = s.AutoSyncUnit switch
        {
            FrequencyUnit.Minutes => TimeSpan.FromMinutes(s.AutoSyncEvery),
            FrequencyUnit.Hours => TimeSpan.FromHours(s.AutoSyncEvery),
            _ => TimeSpan.FromDays(s.AutoSyncEvery),
        };
        if (schedule is null) db.Schedules.Add(schedule = new Schedule { TenantId = tenantId, TimeZone = timeZone });
        schedule.StartUtc = startUtc;
        schedule.PeriodSeconds = (int)period.TotalSeconds;
        schedule.TimeZone = timeZone;
        schedule.NextDueUtc = NextSlot(schedule, clock.GetUtcNow().UtcDateTime, inclusive: true);
    }

    public Task<Schedule?> FindAsync(Guid tenantId, CancellationToken ct) =>
        db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);

    /// <summary>The first slot at or after (<paramref name="inclusive"/>) or strictly after <paramref name="after"/>.</summary>
    public static DateTime NextSlot(Schedule s, DateTime after, bool inclusive = false)
    {
        if (after < s.StartUtc || (inclusive && after == s.StartUtc)) return s.StartUtc;
        var period = TimeSpan.FromSeconds(s.PeriodSeconds);
        if (period.TotalDays >= 1 && period.Ticks % TimeSpan.TicksPerDay == 0)
        {
            // Days: the same local time each time, whatever daylight saving does in between.
            var zone = TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone);
            var startLocal = TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, zone);
            var days = (int)period.TotalDays;
            var n = Math.Max(0, (int)((after - s.StartUtc).TotalDays / days) - 1);
            while (true)
            {
                var slot = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(startLocal.AddDays((double)n * days), DateTimeKind.Unspecified), zone);
                if (slot > after || (inclusive && slot == after)) return slot;
                n++;
            }
        }
        var elapsed = (after - s.StartUtc).Ticks;
        var k = elapsed / period.Ticks;
        var candidate = s.StartUtc.AddTicks(k * period.Ticks);
        return inclusive && candidate == after ? candidate : candidate.AddTicks(period.Ticks);
    }
}
