using System.Security.Cryptography;
using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Grains.Tenants;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Connections;

/// <summary>
/// Connecting a tenant to its Xero organisation (S1.2–S1.4): the OAuth2 authorisation-code flow, the connection's
/// state, a test call, and disconnecting.
/// </summary>
public sealed class XeroConnections(AppDb db, XeroIdentity identity, XeroApi api, XeroTokenProvider tokens, XeroTokenStore store,
    IGrainFactory grains, IOptions<XeroOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan ConsentLifetime = TimeSpan.FromMinutes(15);

    public async Task<XeroConnectStarted> ConnectAsync(Guid tenantId, CancellationToken ct)
    {
        var o = options.Value;
        if (o.ClientId.Length == 0 || o.ClientSecret.Length == 0 || o.RedirectUri.Length == 0)
            throw new NotConfiguredException("Xero is not configured on this installation: set Xero__ClientId, Xero__ClientSecret and Xero__RedirectUri.");
        var state = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var connection = await FindAsync(tenantId, ct) ?? db.XeroConnections.Add(new XeroConnection { TenantId = tenantId, Status = ConnectionStatus.NotConnected }).Entity;
        // Only a hash of the state is kept; it carries its own expiry.
        connection.PendingState = $"{ApiKeys.Hash(state)}:{clock.GetUtcNow().UtcDateTime.Add(ConsentLifetime).Ticks}";
        connection.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new XeroConnectStarted(identity.AuthorizeUrl(state).AbsoluteUri);
    }

    /// <summary>Xero sends the user back here with a code, or with an error if they declined: the tenant connected.
    /// </summary>
    public async Task<(Guid TenantId, XeroConnectionResponse Connection)> CallbackAsync(string? code, string? state,
        string? error, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(error)) throw RequestValidationException.For("error", $"Xero did not grant access: {error}.");
        var v = new Validation();
        v.Text("code", code, 2000);
        v.Text("state", state, 200);
        v.ThrowIfInvalid();
        var prefix = ApiKeys.Hash(state!) + ":";
        var connection = await db.XeroConnections.FirstOrDefaultAsync(c => c.PendingState != null && c.PendingState.StartsWith(prefix), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (connection is null || long.Parse(connection.PendingState![prefix.Length..]) < now.Ticks)
            throw RequestValidationException.For("state", "this authorisation is unknown, used already or expired; start again from xero/connect.");
        connection.PendingState = null;

        var granted = await identity.ExchangeCodeAsync(code!, ct);
        var organisations = await identity.GetConnectionsAsync(granted.AccessToken, ct);
        var chosen = organisations.FirstOrDefault()
                     ?? throw new ConflictException("Xero granted access to no organisation; connect again and choose one.");
        if (connection.XeroTenantId != chosen.TenantId.ToString()) connection.OnboardedAt = null;
        connection.XeroTenantId = chosen.TenantId.ToString();
        connection.ConnectionId = chosen.Id.ToString();
        connection.OrganisationName = chosen.TenantName;
        store.Protect(connection, granted, now);
        await db.SaveChangesAsync(ct);
        // Connected, the tenant's payments pull starts (or, connected again, goes on).
        await grains.GetGrain<ISyncCoordinatorGrain>(connection.TenantId).FollowScheduleAsync();
        return (connection.TenantId, ToResponse(connection));
    }

    public async Task<XeroConnectionResponse> GetAsync(Guid tenantId, CancellationToken ct) =>
        await FindAsync(tenantId, ct) is { } c ? ToResponse(c) : new XeroConnectionResponse(ConnectionStatus.NotConnected, null, null, null);

    /// <summary>A call to Xero with the tenant's connection: proves it works, or says why not.</summary>
    public async Task<XeroOrganisationResponse> GetOrganisationAsync(Guid tenantId, CancellationToken ct)
    {
        var xero = await OrganisationOfAsync(tenantId, ct);
        try
        {
            var org = await xero.GetOrganisationAsync(ct);
            return new XeroOrganisationResponse(org.Name, org.BaseCurrency, org.CountryCode);
        }
        catch (XeroInvalidGrantException)
        {
            throw new ConflictException("Xero no longer accepts this connection: it needs to be authorised again (xero/connect).");
        }
    }

    /// <summary>Removes the connection on Xero's side (when Xero still accepts it) and forgets the tokens.</summary>
    public async Task DisconnectAsync(Guid tenantId, CancellationToken ct)
    {
        var c = await FindAsync(tenantId, ct) ?? throw new NotFoundException($"The Xero connection of tenant {tenantId}");
        if (c is { Status: ConnectionStatus.Connected, ConnectionId: { } id })
        {
            try
            {
                await identity.DeleteConnectionAsync(await tokens.GetAccessTokenAsync(tenantId, ct), Guid.Parse(id), ct);
            }
            catch (XeroInvalidGrantException)
            {
                // Xero has already let go of it: nothing left to remove there.
            }
            await db.Entry(c).ReloadAsync(ct);
        }
        c.Status = ConnectionStatus.Disconnected;
        c.AccessTokenProtected = c.RefreshTokenProtected = null;
        c.AccessTokenExpiresAt = null;
        c.ConnectionId = null;
        c.PendingState = null;
        c.Version++;
        c.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).FollowScheduleAsync();
    }

    /// <summary>The tenant's organisation to call; a 409 when the tenant is not connected.</summary>
    public async Task<XeroOrganisation> OrganisationOfAsync(Guid tenantId, CancellationToken ct) =>
        api.For(tenantId, (await ConnectedAsync(tenantId, ct)).XeroTenantId!);

    private async Task<XeroConnection> ConnectedAsync(Guid tenantId, CancellationToken ct)
    {
        var c = await FindAsync(tenantId, ct);
        return c switch
        {
            { Status: ConnectionStatus.Connected, XeroTenantId: not null } => c,
            { Status: ConnectionStatus.NeedsReauthorisation } => throw new ConflictException("The Xero connection needs to be authorised again (xero/connect)."),
            _ => throw new ConflictException("The tenant is not connected to Xero; start with xero/connect."),
        };
    }

    private Task<XeroConnection?> FindAsync(Guid tenantId, CancellationToken ct) => db.XeroConnections.FirstOrDefaultAsync(c => c.TenantId == tenantId, ct);

    private static XeroConnectionResponse ToResponse(XeroConnection c) => new(c.Status, c.OrganisationName, c.XeroTenantId, c.UpdatedAt);
}
