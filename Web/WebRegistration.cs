using System.Security.Claims;
using System.Text.Encodings.Web;
using InventorySync.Api.Auth;
using InventorySync.Api.Endpoints;
using InventorySync.Contracts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Web;

/// <summary>
/// The accountant's web pages (S9.2–S9.3), server-rendered Razor Pages over the same services as the API. A user
/// signs in with an API key once; a secure, http-only cookie carries who they are, checked against the database on
/// every request so that a revoked key signs its pages out too. The API never accepts the cookie: only bearer keys.
/// </summary>
public static class WebRegistration
{
    public const string CookieScheme = "Pages";
    public const string Policy = "pages";

    /// <summary>The operator, signed in on the pages or with the bearer key (the Orleans Dashboard).</summary>
    public const string OperatorPolicy = "operator-pages";

    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Tenants", Policy);
            o.Conventions.AuthorizePage("/Index", Policy);
            // Signing out checks the form's antiforgery token against the signed-in user.
            o.Conventions.AuthorizePage("/SignOut", Policy);
        });
        services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "inventorysync";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/sign-in";
            o.AccessDeniedPath = "/sign-in";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        services.AddSingleton(new XeroConnectedPage(ConnectedPage));
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser())
            .AddPolicy(OperatorPolicy, p => p.AddAuthenticationSchemes(CookieScheme, ApiKeyAuthentication.SchemeName)
                .RequireRole(Caller.OperatorRole));
        return builder;
    }

    /// <summary>
    /// Xero's consent sends the browser back from Xero's site, and our sign-in cookie (SameSite=Strict) does not go
    /// with a request that navigation started elsewhere: this page moves on to the settings itself, so that the next
    /// request is one of ours and carries the cookie.
    /// </summary>
    private static string ConnectedPage(HttpContext http, Guid tenantId, XeroConnectionResponse connection)
    {
        var settings = http.RequestServices.GetRequiredService<LinkGenerator>()
            .GetPathByPage(http, "/Tenants/Settings", values: new { tenantId })!;
        var organisation = HtmlEncoder.Default.Encode(connection.OrganisationName ?? "your organisation");
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={settings}">
            <title>Connected to Xero</title></head>
            <body><p id="connected">Connected to Xero: {organisation}. <a href="{settings}">Back to the settings</a>.</p>
            </body></html>
            """;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>The cookie holds while its key does: the user is not revoked, or the operator key is unchanged.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principals = context.HttpContext.RequestServices.GetRequiredService<ApiKeyPrincipals>();
        var caller = Caller.From(context.Principal!);
        if (caller.IsOperator)
        {
            if (!principals.IsOperatorStill(context.Principal!)) context.RejectPrincipal();
            return;
        }
        var (claims, _) =
            await principals.ForUserAsync(caller.UserId ?? Guid.Empty, context.HttpContext.RequestAborted);
        if (claims is null) context.RejectPrincipal();
        else context.ReplacePrincipal(new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme)));
    }
}
