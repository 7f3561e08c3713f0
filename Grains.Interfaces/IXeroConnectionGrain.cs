namespace InventorySync.Grains;

/// <summary>
/// Each tenant's Xero connection (key: the tenant id): its single activation makes a token refresh single-flight
/// across the cluster. Only a fingerprint of a token crosses the wire; the tokens stay encrypted in the database.
/// </summary>
public interface IXeroConnectionGrain : IGrainWithGuidKey
{
    /// <summary>Trades the refresh token unless the access token with this fingerprint was replaced since.</summary>
    Task RefreshAsync(string staleAccessTokenFingerprint);
}
