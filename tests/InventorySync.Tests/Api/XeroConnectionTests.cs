using System.Net;
using InventorySync.Contracts;
using InventorySync.Xero.Client;
using InventorySync.Storage;
using InventorySync.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Tests.Api;

/// <summary>Connecting a tenant to Xero through the REST API, against the emulator (S1.2–S1.4).</summary>
public abstract class XeroConnectionTests(XeroApp xero) : ApiTest(xero)
{
    private async Task<(Guid TenantId, HttpClient User, XeroSandbox.State.Org Org)> ConnectAsync()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        return (tenantId, user, await xero.ConnectAsync(user, tenantId));
    }

    [Fact]
    public async Task A_tenant_connects_through_Xeros_consent_and_its_tokens_are_stored_encrypted()
    {
        var (tenantId, user, org) = await ConnectAsync();

        var status = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>();
        Assert.Equal(ConnectionStatus.Connected, status.Status);
        var organisation = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/organisation")).ReadAsync<XeroOrganisationResponse>();
        Assert.Equal(org.Name, organisation.Name);

        var row = await App.WithDbAsync(db => db.XeroConnections.SingleAsync(c => c.TenantId == tenantId));
        string[] issued;
        lock (xero.State.Gate) issued = [.. xero.State.AccessTokens.Keys, .. xero.State.RefreshTokens.Keys];
        Assert.DoesNotContain(issued, t => row.AccessTokenProtected!.Contains(t) || row.RefreshTokenProtected!.Contains(t));
        Assert.True(await App.WithDbAsync(db => db.DataProtectionKeys.AnyAsync()), "the key ring lives in the database");
    }

    [Fact]
    public async Task A_callback_with_an_unknown_used_or_refused_consent_changes_nothing()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        await (await user.PostAsync($"{TenantPath(tenantId)}/xero/connect", null)).ReadAsync<XeroConnectStarted>();
        var anonymous = App.CreateClient();
        await (await anonymous.GetAsync("/api/v1/xero/callback?code=abc&state=made-up")).ProblemAsync(HttpStatusCode.BadRequest, "state");
        await (await anonymous.GetAsync("/api/v1/xero/callback?error=access_denied&state=x")).ProblemAsync(HttpStatusCode.BadRequest, "error");
        await (await anonymous.GetAsync("/api/v1/xero/callback")).ProblemAsync(HttpStatusCode.BadRequest, "code", "state");
        Assert.Equal(ConnectionStatus.NotConnected, (await (await user.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>()).Status);

        var (connectedTenant, connectedUser, _) = await ConnectAsync();
        // A consent is used once.
        var again = await (await connectedUser.PostAsync($"{TenantPath(connectedTenant)}/xero/connect", null)).ReadAsync<XeroConnectStarted>();
        var consent = await xero.Xero.Browser.GetAsync(new Uri(again.AuthorizeUrl).PathAndQuery);
        await (await anonymous.GetAsync(consent.Headers.Location!.PathAndQuery)).ReadAsync<XeroConnectionResponse>();
        await (await anonymous.GetAsync(consent.Headers.Location!.PathAndQuery)).ProblemAsync(HttpStatusCode.BadRequest, "state");
    }

    [Fact]
    public async Task Disconnecting_removes_the_connection_at_Xero_and_forgets_the_tokens()
    {
        var (tenantId, user, org) = await ConnectAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"{TenantPath(tenantId)}/xero/connection")).StatusCode);

        lock (xero.State.Gate) Assert.Null(xero.State.Connections.Of(org.Id));
        var status = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>();
        Assert.Equal(ConnectionStatus.Disconnected, status.Status);
        var row = await App.WithDbAsync(db => db.XeroConnections.SingleAsync(c => c.TenantId == tenantId));
        Assert.Equal((null, null), (row.AccessTokenProtected, row.RefreshTokenProtected));
        await (await user.GetAsync($"{TenantPath(tenantId)}/xero/organisation")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_refused_refresh_token_marks_the_connection_as_needing_reauthorisation()
    {
        var (tenantId, user, _) = await ConnectAsync();
        (await xero.Xero.Browser.PostAsync("/sandbox/refresh-tokens/revoke", null)).EnsureSuccessStatusCode();
        App.Clock.Advance(TimeSpan.FromMinutes(31));

        var refused = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/organisation")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("authorised again", (string?)refused["detail"]);
        Assert.Equal(ConnectionStatus.NeedsReauthorisation,
            (await (await user.GetAsync($"{TenantPath(tenantId)}/xero/connection")).ReadAsync<XeroConnectionResponse>()).Status);
        // Connecting again restores it.
        await xero.ConnectAsync(user, tenantId);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"{TenantPath(tenantId)}/xero/organisation")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_tenants_token_trade_its_refresh_token_once()
    {
        var (tenantId, _, _) = await ConnectAsync();
        int Issued()
        {
            lock (xero.State.Gate) return xero.State.RefreshTokens.Count;
        }
        var tokens = App.Service<XeroTokenProvider>();
        var stale = await tokens.GetAccessTokenAsync(tenantId, CancellationToken.None);
        var before = Issued();

        var fresh = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.RefreshAsync(tenantId, stale, CancellationToken.None)));

        Assert.Equal(before + 1, Issued());
        Assert.Single(fresh.Distinct());
        Assert.NotEqual(stale, fresh[0]);
    }
}

public sealed class XeroConnectionTests_Sqlite(SqliteXeroApp fixture) : XeroConnectionTests(fixture), IClassFixture<SqliteXeroApp>;

public sealed class XeroConnectionTests_Postgres(PostgresXeroApp fixture) : XeroConnectionTests(fixture), IClassFixture<PostgresXeroApp>;
