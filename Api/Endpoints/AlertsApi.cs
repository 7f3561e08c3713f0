using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>Internal notifications (S6.2) and the system activity report (S7).</summary>
public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder tenant)
    {
        var notifications = tenant.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/", (Guid tenantId, [AsParameters] PageRequest page, Notifications s, CancellationToken ct) => s.ListAsync(tenantId, page, ct));
        notifications.MapGet("/unread-count", (Guid tenantId, Notifications s, CancellationToken ct) => s.UnreadAsync(tenantId, ct));
        notifications.MapPost("/{id:long}/read", async Task<NoContent> (Guid tenantId, long id, Notifications s, CancellationToken ct) =>
        {
            await s.MarkReadAsync(tenantId, id, ct);
            return TypedResults.NoContent();
        });
        notifications.MapPost("/read-all", async Task<NoContent> (Guid tenantId, Notifications s, CancellationToken ct) =>
        {
            await s.MarkAllReadAsync(tenantId, ct);
            return TypedResults.NoContent();
        });
        tenant.MapGet("/activity", (Guid tenantId, [AsParameters] ActivityQuery query, ActivityLog s, CancellationToken ct) => s.ListAsync(tenantId, query, ct))
            .WithTags("Activity");
        return tenant;
    }
}
