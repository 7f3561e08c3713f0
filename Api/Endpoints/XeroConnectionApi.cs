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

    /// <summary>
    /// Where Xero sends the user back: no API key comes with it, the one-time state identifies the tenant. A program
    /// gets the connection as JSON; a person in a browser, where the web pages are served, a page that takes them on
    /// to the tenant's settings.
    /// </summary>
    public static IEndpointRouteBuilder MapXeroCallback(this IEndpointRouteBuilder app)
    {
        app.MapGet(CallbackPath, XeroCallbackAsync).AllowAnonymous().WithTags("Xero connection");
        return app;
    }

    private static async Task<Results<Ok<XeroConnectionResponse>, ContentHttpResult>> XeroCallbackAsync(
        XeroConnections s, HttpRequest req, [FromServices] XeroConnectedPage? page, [FromQuery] string? code,
        [FromQuery] string? state, [FromQuery] string? error, CancellationToken ct)
    {
        var (tenantId, connection) = await s.CallbackAsync(code, state, error, ct);
        return page is not null && AcceptsHtml(req)
            ? TypedResults.Content(page.Html(req.HttpContext, tenantId, connection), "text/html; charset=utf-8")
            : TypedResults.Ok(connection);
    }

    private static bool AcceptsHtml(HttpRequest req) =>
        req.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.Ordinal));
}

/// <summary>
/// The page a person sees after connecting in a browser, given by the web pages when they are served (not in the
/// API-only front end).
/// </summary>
public sealed record XeroConnectedPage(Func<HttpContext, Guid, XeroConnectionResponse, string> Html);
