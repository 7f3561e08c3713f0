using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>The operator's maintenance windows (S3.4): no sync starts inside one.</summary>
public sealed class MaintenanceWindows(AppDb db, TimeProvider clock)
{
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(7);

    public async Task<MaintenanceWindowResponse> CreateAsync(MaintenanceWindowRequest r, CancellationToken ct)
    {
        var v = new Validation();
        var starts = v.Required("startsAt", r.StartsAt).ToUniversalTime();
        var ends = v.Required("endsAt", r.EndsAt).ToUniversalTime();
        if (r.StartsAt is not null && r.EndsAt is not null)
        {
            v.Check(ends > starts, "endsAt", "must be after startsAt.");
            v.Check(ends - starts <= LongestWindow, "endsAt", $"a window lasts at most {LongestWindow.TotalDays} days.");
            v.Check(ends > clock.GetUtcNow().UtcDateTime, "endsAt", "is in the past.");
        }
        var reason = v.OptionalText("reason", r.Reason, 400);
        v.ThrowIfInvalid();
        var window = new MaintenanceWindow { Id = Guid.CreateVersion7(), StartsAt = starts, EndsAt = ends, Reason = reason, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.MaintenanceWindows.Add(window);
        await db.SaveChangesAsync(ct);
        return ToResponse(window);
    }

    /// <summary>Windows not yet over, soonest first.</summary>
    public async Task<IReadOnlyList<MaintenanceWindowResponse>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var windows = await db.MaintenanceWindows.Where(w => w.EndsAt > now).OrderBy(w => w.StartsAt).ToListAsync(ct);
        return windows.Select(ToResponse).ToList();
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        if (await db.MaintenanceWindows.Where(w => w.Id == id).ExecuteDeleteAsync(ct) == 0)
            throw new NotFoundException($"The maintenance window {id}");
    }

    /// <summary>The window covering <paramref name="at"/>, if any.</summary>
    public Task<MaintenanceWindow?> CoveringAsync(DateTime at, CancellationToken ct) =>
        db.MaintenanceWindows.Where(w => w.StartsAt <= at && w.EndsAt > at).OrderByDescending(w => w.EndsAt).FirstOrDefaultAsync(ct);

    private static MaintenanceWindowResponse ToResponse(MaintenanceWindow w) => new(w.Id, w.StartsAt, w.EndsAt, w.Reason, w.CreatedAt);
}
