using System.Collections.Concurrent;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.KeyRing;
using InventorySync.Storage.Entities;
using InventorySync.Xero.Client;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using InventorySync.Grains.Activity;

namespace InventorySync.Grains.Connections;

/// <summary>
/// Each tenant's Xero tokens, encrypted with Data Protection (its key ring is in the database, encrypted with the
/// key-encryption certificate every node shares). Refreshes are made single-flight by the tenant's
/// <see cref="XeroConnectionGrain"/>.
/// </summary>
public sealed class XeroTokenStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock)
    : IXeroTokenStore
{
    private readonly IDataProtector _protector = protection.CreateProtector(KeyRingGuard.TokenPurpose);

    /// <summary>
    /// Each tenant's tokens as last read, by the ciphertext they came from: every Xero call reads the row (another
    /// node may have refreshed), but decrypts only when the row has changed.
    /// </summary>
    private readonly ConcurrentDictionary<Guid, (string Access, string Refresh, XeroTokens Tokens)> _read = new();

    public async Task<XeroTokens?> GetAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return TokensOf(await scope.ServiceProvider.GetRequiredService<AppDb>().XeroConnections.AsNoTracking()
            .FirstOrDefaultAsync(x => x.TenantId == tenantId, ct));
    }

    /// <summary>The tokens of a connection row the caller has read, or null when it is not connected.</summary>
    public XeroTokens? TokensOf(XeroConnection? c)
    {
        if (c is not
            {
                Status: ConnectionStatus.Connected, AccessTokenProtected: { } access,
                RefreshTokenProtected: { } refresh, AccessTokenExpiresAt: { } expires,
            })
            return null;
        if (_read.TryGetValue(c.TenantId, out var read) && read.Access == access && read.Refresh == refresh
            && read.Tokens.ExpiresAt == expires)
            return read.Tokens;
        var tokens = new XeroTokens(_protector.Unprotect(access), _protector.Unprotect(refresh), expires);
        _read[c.TenantId] = (access, refresh, tokens);
        return tokens;
    }

    public async Task SaveAsync(Guid tenantId, XeroTokens tokens, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var c = await db.XeroConnections.FirstOrDefaultAsync(x => x.TenantId == tenantId, ct);
        if (c is null) db.XeroConnections.Add(c = new XeroConnection { TenantId = tenantId });
        Protect(c, tokens, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    public void Protect(XeroConnection c, XeroTokens tokens, DateTime now)
    {
        c.AccessTokenProtected = _protector.Protect(tokens.AccessToken);
        c.RefreshTokenProtected = _protector.Protect(tokens.RefreshToken);
        c.AccessTokenExpiresAt = tokens.ExpiresAt;
        c.Status = ConnectionStatus.Connected;
        c.Version++;
        c.UpdatedAt = now;
    }

    /// <summary>
    /// Marks the connection, which pauses auto-sync; the first node to mark it raises the alert and logs the
    /// activity, in the same transaction.
    /// </summary>
    public async Task MarkNeedsReauthorisationAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await using var tx = await db.BeginWriteAsync(ct);
        var marked = await db.XeroConnections
            .Where(c => c.TenantId == tenantId && c.Status == ConnectionStatus.Connected)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReauthorisation)
                .SetProperty(c => c.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (marked == 0) return;
        var tenant = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleAsync(ct);
        var alert = Alerts.Alerts.NeedsReauthorisation(tenant, $"/api/v1/tenants/{tenantId}");
        scope.ServiceProvider.GetRequiredService<ActivityLog>()
            .Add(tenantId, ActivityType.ReauthorisationNeeded, null, alert.Subject);
        await scope.ServiceProvider.GetRequiredService<Alerts.Alerts>().RaiseAsync(tenantId, alert, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
