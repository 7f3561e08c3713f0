using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventorySync.Xero.Client;

/// <summary>Where each tenant's Xero tokens are kept; the implementation encrypts them at rest.</summary>
public interface IXeroTokenStore
{
    Task<XeroTokens?> GetAsync(Guid tenantId, CancellationToken ct);

    Task SaveAsync(Guid tenantId, XeroTokens tokens, CancellationToken ct);

    /// <summary>Xero refused the refresh token: the user must authorise again.</summary>
    Task MarkNeedsReauthorisationAsync(Guid tenantId, CancellationToken ct);
}

/// <summary>
/// Makes a tenant's refresh single-flight: whoever calls, <see cref="XeroTokenProvider.RefreshUnlessReplacedAsync"/>
/// runs for that tenant in one place at a time. The host replaces the in-process default with a cluster-wide one.
/// </summary>
public interface IXeroRefreshGate
{
    Task RefreshAsync(Guid tenantId, string staleAccessTokenFingerprint, CancellationToken ct);
}

/// <summary>One refresh at a time per tenant within this process.</summary>
public sealed class InProcessRefreshGate(IServiceProvider services) : IXeroRefreshGate
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _refreshing = new();

    public async Task RefreshAsync(Guid tenantId, string staleAccessTokenFingerprint, CancellationToken ct)
    {
        var gate = _refreshing.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await services.GetRequiredService<XeroTokenProvider>()
                .RefreshUnlessReplacedAsync(tenantId, staleAccessTokenFingerprint, ct);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>
/// Hands out a valid access token per tenant, refreshing it shortly before it expires. Refreshes go through the
/// <see cref="IXeroRefreshGate"/>, and the rotated refresh token is saved before the new access token is used:
/// losing it would lose the connection.
/// </summary>
public sealed class XeroTokenProvider(
    XeroIdentity identity, IXeroTokenStore store, IXeroRefreshGate gate, IOptions<XeroOptions> options,
    TimeProvider clock)
{
    public async Task<string> GetAccessTokenAsync(Guid tenantId, CancellationToken ct) =>
        (await GetFreshAsync(tenantId, ct)).AccessToken;

    /// <summary>The tenant's tokens as stored, refreshed first if the access token is about to expire.</summary>
    public async Task<XeroTokens> GetFreshAsync(Guid tenantId, CancellationToken ct)
    {
        var tokens = await StoredAsync(tenantId, ct);
        if (IsFresh(tokens)) return tokens;
        await gate.RefreshAsync(tenantId, Fingerprint(tokens.AccessToken), ct);
        return await StoredAsync(tenantId, ct);
    }

    /// <summary>Refreshes unless another caller already replaced <paramref name="staleAccessToken"/>.</summary>
    public async Task<string> RefreshAsync(Guid tenantId, string staleAccessToken, CancellationToken ct)
    {
        await gate.RefreshAsync(tenantId, Fingerprint(staleAccessToken), ct);
        return (await StoredAsync(tenantId, ct)).AccessToken;
    }

    /// <summary>The refresh itself; callers go through the gate so that it runs once per tenant at a time.</summary>
    public async Task RefreshUnlessReplacedAsync(Guid tenantId, string staleFingerprint, CancellationToken ct)
    {
        // Another caller (or node) may have refreshed while this one waited.
        var tokens = await StoredAsync(tenantId, ct);
        if (Fingerprint(tokens.AccessToken) != staleFingerprint && IsFresh(tokens)) return;
        XeroTokens fresh;
        try
        {
            fresh = await identity.RefreshAsync(tokens.RefreshToken, ct);
        }
        catch (XeroInvalidGrantException)
        {
            await store.MarkNeedsReauthorisationAsync(tenantId, CancellationToken.None);
            throw;
        }
        await store.SaveAsync(tenantId, fresh, CancellationToken.None);
    }

    /// <summary>Names a token without revealing it, so that only this crosses process boundaries.</summary>
    public static string Fingerprint(string accessToken) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)))[..32];

    public bool IsFresh(XeroTokens tokens) =>
        tokens.ExpiresAt - options.Value.RefreshMargin > clock.GetUtcNow().UtcDateTime;

    private async Task<XeroTokens> StoredAsync(Guid tenantId, CancellationToken ct) =>
        await store.GetAsync(tenantId, ct) ?? throw new XeroUnauthorizedException($"The tenant {tenantId} is not connected to Xero.");
}
