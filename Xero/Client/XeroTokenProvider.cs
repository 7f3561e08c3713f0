using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace InventorySync.Xero.Client;

/// <summary>Where each tenant's Xero tokens are kept; the implementation encrypts them at rest.</summary>
public interface IXeroTokenStore
{
    Task<XeroTokens?> GetAsync(Guid tenantId, CancellationToken ct);

    Task SaveAsync(Guid tenantId, XeroTokens tokens, CancellationToken ct);

    /// <summary>Held while one refresh runs, so that a tenant's token is refreshed by one process at a time.</summary>
    Task<IAsyncDisposable> LockRefreshAsync(Guid tenantId, CancellationToken ct);

    /// <summary>Xero refused the refresh token: the user must authorise again.</summary>
    Task MarkNeedsReauthorisationAsync(Guid tenantId, CancellationToken ct);
}

/// <summary>
/// Hands out a valid access token per tenant, refreshing it shortly before it expires. One refresh at a time per
/// tenant (in this process by a semaphore, across nodes by the store's lock), and the rotated refresh token is saved
/// before the new access token is used: losing it would lose the connection.
/// </summary>
public sealed class XeroTokenProvider(XeroIdentity identity, IXeroTokenStore store, IOptions<XeroOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _refreshing = new();

    public async Task<string> GetAccessTokenAsync(Guid tenantId, CancellationToken ct)
    {
        var tokens = await StoredAsync(tenantId, ct);
        return IsFresh(tokens) ? tokens.AccessToken : await RefreshAsync(tenantId, tokens.AccessToken, ct);
    }

    /// <summary>Refreshes unless another caller already replaced <paramref name="staleAccessToken"/>.</summary>
    public async Task<string> RefreshAsync(Guid tenantId, string staleAccessToken, CancellationToken ct)
    {
        var gate = _refreshing.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using (await store.LockRefreshAsync(tenantId, ct))
            {
                // Another caller (or node) may have refreshed while we waited.
                var tokens = await StoredAsync(tenantId, ct);
                if (tokens.AccessToken != staleAccessToken && IsFresh(tokens)) return tokens.AccessToken;
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
                return fresh.AccessToken;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsFresh(XeroTokens tokens) => tokens.ExpiresAt - options.Value.RefreshMargin > clock.GetUtcNow().UtcDateTime;

    private async Task<XeroTokens> StoredAsync(Guid tenantId, CancellationToken ct) =>
        await store.GetAsync(tenantId, ct) ?? throw new XeroUnauthorizedException($"The tenant {tenantId} is not connected to Xero.");
}
