using InventorySync.Contracts;
using InventorySync.Grains.Connections;
using InventorySync.Grains.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>Connecting a tenant to Xero (S1.2–S1.4).</summary>
public static class XeroConnectionApi
{
    public const string CallbackPath = "/api/v1/xero/callback";

    public static RouteGroupBuilder MapXeroConnectionApi(this RouteGroupBuilder tenant)
    {
        var xero = tenant.MapGroup("/xero").WithTags("Xero connection");
        xero.MapPost("/connect", (Guid tenantId, XeroConnections s, CancellationToken ct) => s.ConnectAsync(tenantId, ct));
        xero.MapGet("/connection", (Guid tenantId, XeroConnections s, CancellationToken ct) => s.GetAsync(tenantId, ct));
        xero.MapDelete("/connection", async Task<NoContent> (Guid tenantId, XeroConnections s, CancellationToken ct) =>
        {
            await s.DisconnectAsync(tenantId, ct);
            return TypedResults.NoContent();
        });
        xero.MapGet("/organisation", (Guid tenantId, XeroConnections s, CancellationToken ct) => s.GetOrganisationAsync(tenantId, ct));
        xero.MapGet("/onboarding-preview", (Guid tenantId, OnboardingPreviews s, CancellationToken ct) =>
            s.PreviewAsync(tenantId, ct));
        return tenant;
    }

    /// <summary>Where Xero sends the user back: no API key comes with it, the one-time state identifies the tenant.</summary>
    public static IEndpointRouteBuilder MapXeroCallback(this IEndpointRouteBuilder app)
    {
        app.MapGet(CallbackPath, (XeroConnections s, [FromQuery] string? code, [FromQuery] string? state, [FromQuery] string? error, CancellationToken ct) =>
            s.CallbackAsync(code, state, error, ct)).AllowAnonymous().WithTags("Xero connection");
        return app;
    }
}
