using InventorySync.Xero.Client;

namespace InventorySync.Grains.Connections;

/// <summary>A tenant's token refresh, one at a time cluster-wide: the grain's single activation orders them.</summary>
public sealed class XeroConnectionGrain(XeroTokenProvider tokens) : Grain, IXeroConnectionGrain
{
    public Task RefreshAsync(string staleAccessTokenFingerprint) =>
        tokens.RefreshUnlessReplacedAsync(this.GetPrimaryKey(), staleAccessTokenFingerprint, CancellationToken.None);
}

/// <summary>Sends every refresh to the tenant's <see cref="IXeroConnectionGrain"/>, wherever it is active.</summary>
public sealed class XeroConnectionGrainGate(IGrainFactory grains) : IXeroRefreshGate
{
    public Task RefreshAsync(Guid tenantId, string staleAccessTokenFingerprint, CancellationToken ct) =>
        grains.GetGrain<IXeroConnectionGrain>(tenantId).RefreshAsync(staleAccessTokenFingerprint).WaitAsync(ct);
}
