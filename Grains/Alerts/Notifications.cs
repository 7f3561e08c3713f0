using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Alerts;

/// <summary>A tenant's internal notifications: newest first, the unread count (the red badge), marking read.</summary>
public sealed class Notifications(AppDb db, TimeProvider clock)
{
    public async Task<Paged<NotificationResponse>> ListAsync(Guid tenantId, PageRequest page, CancellationToken ct) =>
        await db.Notifications.Where(n => n.TenantId == tenantId).OrderByDescending(n => n.At).ThenByDescending(n => n.Id)
            .ToPagedAsync(page, n => new NotificationResponse(n.Id, n.At, n.Title, n.Body, n.ReadAt), ct);

    public async Task<UnreadCount> UnreadAsync(Guid tenantId, CancellationToken ct) =>
        new(await db.Notifications.CountAsync(n => n.TenantId == tenantId && n.ReadAt == null, ct));

    public async Task MarkReadAsync(Guid tenantId, long id, CancellationToken ct)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.TenantId == tenantId && n.Id == id, ct)
                           ?? throw new NotFoundException($"The notification {id}");
        notification.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    public async Task MarkAllReadAsync(Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.TenantId == tenantId && n.ReadAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), ct);
    }
}
