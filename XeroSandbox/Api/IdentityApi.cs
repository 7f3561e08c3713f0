using System.Security.Cryptography;
using System.Text;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Mvc;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// Xero's identity service: authorise (the user consents at once), the token endpoint with 30-minute access tokens
/// and rotating refresh tokens (the previous one stays valid for 30 minutes), and the app's connections.
/// </summary>
public static class IdentityApi
{
    public static void MapIdentityApi(this WebApplication app)
    {
        app.MapGet("/identity/connect/authorize", Authorize);
        app.MapPost("/connect/token", Token).DisableAntiforgery();
        app.MapGet("/connections", GetConnections);
        app.MapDelete("/connections/{id:guid}", DeleteConnection);
    }

    private static IResult Authorize(SandboxState s, [FromQuery(Name = "response_type")] string? responseType,
        [FromQuery(Name = "client_id")] string? clientId, [FromQuery(Name = "redirect_uri")] string? redirectUri,
        [FromQuery] string? scope, [FromQuery] string? state)
    {
        if (clientId != SandboxState.ClientId) return Results.BadRequest(new { error = "unauthorized_client" });
        if (responseType != "code" || string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
            return Results.BadRequest(new { error = "invalid_request" });
        if (string.IsNullOrWhiteSpace(scope) || !scope.Split(' ').Contains("offline_access"))
            return Results.BadRequest(new { error = "invalid_scope", error_description = "offline_access is needed for refresh tokens" });
        string code;
        lock (s.Gate)
        {
            // The sandbox's user consents at once to the organisations a test chose (by default, the first one).
            var orgs = s.ConsentTo.Count > 0 ? s.ConsentTo.ToList() : s.Orgs.Keys.Take(1).ToList();
            code = NewToken();
            s.Codes[code] = new AuthCode(Guid.NewGuid(), orgs, redirectUri, s.Now.AddMinutes(5));
        }
        var separator = redirectUri.Contains('?') ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={Uri.EscapeDataString(code)}&scope={Uri.EscapeDataString(scope)}&state={Uri.EscapeDataString(state ?? "")}");
    }

    private static async Task<IResult> Token(HttpRequest request, SandboxState s)
    {
        if (!request.HasFormContentType) return Results.BadRequest(new { error = "invalid_request" });
        var form = await request.ReadFormAsync();
        if (!ClientAuthenticated(request, form)) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        lock (s.Gate)
        {
            var now = s.Now;
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    if (!s.Codes.Remove(form["code"].ToString(), out var code) || code.ExpiresAt < now || code.RedirectUri != form["redirect_uri"].ToString())
                        return InvalidGrant();
                    foreach (var orgId in code.OrgIds)
                    {
                        // Consenting again to a connected organisation renews its connection under the new grant.
                        var existing = s.Connections.Values.FirstOrDefault(c => c.TenantId == orgId);
                        var id = existing?.Id ?? Guid.NewGuid();
                        s.Connections[id] = new Connection(id, orgId, code.AuthEventId, existing?.CreatedAt ?? now, now);
                    }
                    return Issue(s, code.AuthEventId, now);
                case "refresh_token":
                    var presented = form["refresh_token"].ToString();
                    if (!s.RefreshTokens.TryGetValue(presented, out var refresh) || refresh.Revoked
                        || now - refresh.IssuedAt > SandboxState.RefreshTokenLife
                        || (refresh.SupersededAt is { } superseded && now - superseded > SandboxState.RefreshGrace))
                        return InvalidGrant();
                    refresh.SupersededAt ??= now;
                    return Issue(s, refresh.AuthEventId, now);
                default:
                    return Results.BadRequest(new { error = "unsupported_grant_type" });
            }
        }
    }

    private static IResult GetConnections(HttpRequest request, SandboxState s)
    {
        lock (s.Gate)
        {
            if (Grant(request, s) is not { } authEvent) return Unauthorized();
            return Results.Json(s.Connections.Values.Where(c => c.AuthEventId == authEvent).Select(c => new
            {
                id = c.Id, authEventId = c.AuthEventId, tenantId = c.TenantId, tenantType = "ORGANISATION",
                tenantName = s.Orgs[c.TenantId].Name, createdDateUtc = c.CreatedAt, updatedDateUtc = c.UpdatedAt,
            }));
        }
    }

    private static IResult DeleteConnection(Guid id, HttpRequest request, SandboxState s)
    {
        lock (s.Gate)
        {
            if (Grant(request, s) is not { } authEvent) return Unauthorized();
            if (!s.Connections.TryGetValue(id, out var c) || c.AuthEventId != authEvent) return Results.NotFound();
            s.Connections.Remove(id);
            return Results.NoContent();
        }
    }

    /// <summary>The grant behind a bearer access token that has not expired; callers hold the lock.</summary>
    internal static Guid? Grant(HttpRequest request, SandboxState s)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
        return s.AccessTokens.TryGetValue(header[7..], out var token) && token.ExpiresAt > s.Now ? token.AuthEventId : null;
    }

    internal static IResult Unauthorized() => Results.Json(new
    {
        Type = (string?)null, Title = "Unauthorized", Status = 401, Detail = "AuthenticationUnsuccessful",
        Instance = Guid.NewGuid().ToString(), Extensions = new { },
    }, statusCode: 401);

    private static IResult Issue(SandboxState s, Guid authEvent, DateTime now)
    {
        var access = NewToken();
        var refresh = NewToken();
        s.AccessTokens[access] = new AccessToken(authEvent, now + SandboxState.AccessTokenLife);
        s.RefreshTokens[refresh] = new RefreshToken { AuthEventId = authEvent, IssuedAt = now };
        return Results.Json(new
        {
            id_token = (string?)null, access_token = access, expires_in = (long)SandboxState.AccessTokenLife.TotalSeconds,
            token_type = "Bearer", refresh_token = refresh, scope = "openid profile email accounting.transactions accounting.settings offline_access",
        });
    }

    private static IResult InvalidGrant() => Results.BadRequest(new { error = "invalid_grant" });

    private static bool ClientAuthenticated(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return pair is [SandboxState.ClientId, SandboxState.ClientSecret];
        }
        return form["client_id"] == SandboxState.ClientId && form["client_secret"] == SandboxState.ClientSecret;
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
