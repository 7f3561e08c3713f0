using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains.Tenants;
using InventorySync.Grains.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

public static class SettingsApi
{
    public static RouteGroupBuilder MapSettingsApi(this RouteGroupBuilder tenant)
    {
        var settings = tenant.MapGroup("/").WithTags("Settings");
        settings.MapGet("/settings", (Guid tenantId, SettingsService s, CancellationToken ct) => s.GetAsync(tenantId, ct));
        settings.MapPut("/settings", (Guid tenantId, TenantSettingsDto body, HttpContext http, SettingsService s, CancellationToken ct) =>
            s.UpdateAsync(tenantId, body, Caller.From(http.User).Name, ct));
        settings.MapGet("/account-mappings", (Guid tenantId, SettingsService s, CancellationToken ct) => s.GetAccountMappingsAsync(tenantId, ct));
        settings.MapPut("/account-mappings", (Guid tenantId, AccountMappingsDto body, SettingsService s, CancellationToken ct) =>
            s.PutAccountMappingsAsync(tenantId, body, ct));
        settings.MapGet("/settings/payments-webhook", (Guid tenantId, PaymentWebhooks s, CancellationToken ct) =>
            s.GetAsync(tenantId, ct));
        settings.MapPut("/settings/payments-webhook", (Guid tenantId, PaymentWebhookRequest body, PaymentWebhooks s,
            CancellationToken ct) => s.PutAsync(tenantId, body, ct));
        settings.MapDelete("/settings/payments-webhook", DeleteWebhookAsync);
        return tenant;
    }

    private static async Task<NoContent> DeleteWebhookAsync(Guid tenantId, PaymentWebhooks s, CancellationToken ct)
    {
        await s.DeleteAsync(tenantId, ct);
        return TypedResults.NoContent();
    }
}
