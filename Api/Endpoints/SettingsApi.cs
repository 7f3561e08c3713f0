using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        return tenant;
    }
}
