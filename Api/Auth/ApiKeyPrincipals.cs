using System.Linq.Expressions;
using System.Security.Claims;
using InventorySync.Contracts;
using InventorySync.Grains.Tenants;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
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
        return operatorKey.Matches(hash) ? (Operator(hash), null) : Claims(await UserByKeyHash.For(db)(db, hash, ct));
    }

    /// <summary>The claims of a user as they are now, or why the user is refused (revoked, removed).</summary>
    public async Task<(Claim[]? Claims, string? Refusal)> ForUserAsync(Guid userId, CancellationToken ct) =>
        Claims(await UserById.For(db)(db, userId, ct));

    private sealed record UserStatus(Guid Id, string Name, Guid TenantId, DateTime? RevokedAt, TenantStatus Status);

    private static readonly Expression<Func<User, Tenant, UserStatus>> WithTenantStatus =
        (u, t) => new UserStatus(u.Id, u.Name, u.TenantId, u.RevokedAt, t.Status);

    // One compiled query for the user and its tenant's status: a bearer key is read on every API request.
    private static readonly CompiledPerModel<Func<AppDb, string, CancellationToken, Task<UserStatus?>>> UserByKeyHash =
        new(() => EF.CompileAsyncQuery((AppDb db, string hash, CancellationToken ct) => db.Users
            .Where(u => u.KeyHash == hash)
            .Join(db.Tenants, u => u.TenantId, t => t.Id, WithTenantStatus).FirstOrDefault()));

    private static readonly CompiledPerModel<Func<AppDb, Guid, CancellationToken, Task<UserStatus?>>> UserById =
        new(() => EF.CompileAsyncQuery((AppDb db, Guid id, CancellationToken ct) => db.Users
            .Where(u => u.Id == id)
            .Join(db.Tenants, u => u.TenantId, t => t.Id, WithTenantStatus).FirstOrDefault()));

    private static (Claim[]? Claims, string? Refusal) Claims(UserStatus? user)
    {
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
