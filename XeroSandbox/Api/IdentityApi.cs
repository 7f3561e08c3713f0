using System.Security.Cryptography;
using System.Text;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
        app.MapGet("/.well-known/openid-configuration", (HttpRequest request) => Results.Json(new
        {
            issuer = Issuer(request), authorization_endpoint = $"{Issuer(request)}/identity/connect/authorize",
            token_endpoint = $"{Issuer(request)}/connect/token", jwks_uri = $"{Issuer(request)}{JwksPath}",
            id_token_signing_alg_values_supported = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        app.MapGet(JwksPath, (SandboxState s) => Results.Json(new { keys = new[] { s.SigningKeyAsJwk } }));
    }

    public const string JwksPath = "/.well-known/openid-configuration/jwks";

    private static string Issuer(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    private static IResult Authorize(SandboxState s, [FromQuery(Name = "response_type")] string? responseType,
        [FromQuery(Name = "client_id")] string? clientId, [FromQuery(Name = "redirect_uri")] string? redirectUri,
        [FromQuery] string? scope, [FromQuery] string? state)
    {
        if (clientId != SandboxState.ClientId) return Results.BadRequest(new { error = "unauthorized_client" });
        if (responseType != "code" || string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri,
            UriKind.Absolute, out _))
            return Results.BadRequest(new { error = "invalid_request" });
        if (string.IsNullOrWhiteSpace(scope) || !scope.Split(' ').Contains("offline_access"))
            return Results.BadRequest(new { error = "invalid_scope",
                error_description = "offline_access is needed for refresh tokens" });
        string code;
        lock (s.Gate)
        {
            // The sandbox's user consents at once to the organisations a test chose (by default, the first one).
            var orgs = s.ConsentTo.Count > 0 ? s.ConsentTo.ToList() : s.Orgs.Keys.Take(1).ToList();
            code = NewToken();
            s.Codes[code] = new AuthCode(Guid.NewGuid(), orgs, redirectUri, scope, s.Now.AddMinutes(5));
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
                    if (!s.Codes.Remove(form["code"].ToString(),
                        out var code) || code.ExpiresAt < now || code.RedirectUri != form["redirect_uri"].ToString())
                        return InvalidGrant();
                    foreach (var orgId in code.OrgIds)
                    {
                        // Consenting again to a connected organisation renews its connection under the new grant.
                        var existing = s.Connections.Of(orgId);
                        var id = existing?.Id ?? Guid.NewGuid();
                        s.Connections.Put(new Connection(id, orgId, code.AuthEventId, existing?.CreatedAt ?? now,
                            now));
                    }
                    return Issue(request, s, code.AuthEventId, code.Scope, now);
                case "refresh_token":
                    var presented = form["refresh_token"].ToString();
                    if (!s.RefreshTokens.TryGetValue(presented, out var refresh) || refresh.Revoked
                        || now - refresh.IssuedAt > SandboxState.RefreshTokenLife
                        || (refresh.SupersededAt is { } superseded && now - superseded > SandboxState.RefreshGrace))
                        return InvalidGrant();
                    refresh.SupersededAt ??= now;
                    return Issue(request, s, refresh.AuthEventId, refresh.Scope, now);
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
            return Results.Json(s.Connections.All.Where(c => c.AuthEventId == authEvent).Select(c => new
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
            if (s.Connections.Find(id)?.AuthEventId != authEvent) return Results.NotFound();
            s.Connections.Remove(id);
            return Results.NoContent();
        }
    }

    /// <summary>The grant behind a bearer access token that has not expired; callers hold the lock.</summary>
    internal static Guid? Grant(HttpRequest request, SandboxState s)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
        return s.AccessTokens.TryGetValue(header[7..],
            out var token) && token.ExpiresAt > s.Now ? token.AuthEventId : null;
    }

    internal static IResult Unauthorized() => Errors.Problem(401, "Unauthorized", "AuthenticationUnsuccessful");

    private static IResult Issue(HttpRequest request, SandboxState s, Guid authEvent, string scope, DateTime now)
    {
        var access = NewToken();
        var refresh = NewToken();
        s.AccessTokens[access] = new AccessToken(authEvent, now + SandboxState.AccessTokenLife);
        s.RefreshTokens[refresh] = new RefreshToken { AuthEventId = authEvent, Scope = scope, IssuedAt = now };
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Results.Json(new
        {
            id_token = scopes.Contains("openid") ? IdToken(request, s, scopes, now) : null,
            access_token = access, expires_in = (long)SandboxState.AccessTokenLife.TotalSeconds,
            token_type = "Bearer", refresh_token = refresh, scope,
        });
    }

    /// <summary>Xero's OpenID Connect id_token for the sandbox's one user, signed with the key at the JWKS.</summary>
    private static string IdToken(HttpRequest request, SandboxState s, string[] scopes, DateTime now)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = SandboxState.UserId.ToString("N"), ["xero_userid"] = SandboxState.UserId.ToString(),
            ["global_session_id"] = Guid.NewGuid().ToString("N"),
        };
        if (scopes.Contains("email")) claims["email"] = SandboxState.UserEmail;
        if (scopes.Contains("profile"))
            (claims["given_name"], claims["family_name"], claims["preferred_username"]) =
                ("Sandbox", "User", SandboxState.UserEmail);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer(request), Audience = SandboxState.ClientId, Claims = claims,
            IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(s.SigningKey, SecurityAlgorithms.RsaSha256),
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
