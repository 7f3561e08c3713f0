using System.Security.Claims;
using InventorySync.Grains.Tenants;
using InventorySync.Storage;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Api.Auth;

/// <summary>
/// Who an API key is: the operator, or a tenant's user (looked up by the key's hash, with its tenant's status). The
/// API reads it from each request's bearer key, the web pages once at sign-in and again on each request by user id.
/// </summary>
public sealed class ApiKeyPrincipals(AppDb db, OperatorKey operatorKey)
{
    /// <summary>The claims of the key's holder, or why the key is refused.</summary>
    public async Task<(Claim[]? Claims, string? Refusal)> ForKeyAsync(string key, CancellationToken ct)
    {
        var hash = ApiKeys.Hash(key.Trim());
        return operatorKey.Matches(hash)
            ? (Operator(hash), null)
            : await ForUserAsync(db.Users.Where(u => u.KeyHash == hash), ct);
    }

    /// <summary>The claims of a user as they are now, or why the user is refused (revoked, removed).</summary>
    public Task<(Claim[]? Claims, string? Refusal)> ForUserAsync(Guid userId, CancellationToken ct) =>
        ForUserAsync(db.Users.Where(u => u.Id == userId), ct);

    /// <summary>One query for the user and its tenant's status: a bearer key is read on every API request.</summary>
    private async Task<(Claim[]? Claims, string? Refusal)> ForUserAsync(IQueryable<Storage.Entities.User> users,
        CancellationToken ct)
    {
        var user = await users.AsNoTracking()
            .Join(db.Tenants, u => u.TenantId, t => t.Id,
                (u, t) => new { u.Id, u.Name, u.TenantId, u.RevokedAt, t.Status })
            .FirstOrDefaultAsync(ct);
        if (user is null) return (null, "The API key is not valid.");
        if (user.RevokedAt is not null) return (null, "The API key has been revoked.");
        return ([
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Name),
            new(Caller.TenantClaim, user.TenantId.ToString()),
            new(Caller.TenantStatusClaim, user.Status.ToString()),
        ], null);
    }

    /// <summary>Whether an operator's claims still hold: the key they were made from is still the operator key.
    /// </summary>
    public bool IsOperatorStill(ClaimsPrincipal principal) =>
        principal.FindFirstValue(OperatorKeyClaim) is { } hash && operatorKey.Matches(hash);

    private const string OperatorKeyClaim = "operator_key_hash";

    private static Claim[] Operator(string hash) =>
        [new(ClaimTypes.Name, "operator"), new(ClaimTypes.Role, Caller.OperatorRole), new(OperatorKeyClaim, hash)];
}
