using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace InventorySync.Xero.Client;

public sealed record XeroTokens(string AccessToken, string RefreshToken, DateTime ExpiresAt);

public sealed record XeroConnectionInfo(Guid Id, Guid TenantId, Guid? AuthEventId, string? TenantType, string? TenantName);

/// <summary>Xero's identity service: the consent URL, the token endpoint and the app's connections.</summary>
public sealed class XeroIdentity(HttpClient http, IOptions<XeroOptions> options, TimeProvider clock)
{
    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] long ExpiresIn,
        [property: JsonPropertyName("error")] string? Error);

    private XeroOptions O => options.Value;

    public Uri AuthorizeUrl(string state) => new(O.LoginUrl, "/identity/connect/authorize?response_type=code"
        + $"&client_id={Uri.EscapeDataString(O.ClientId)}&redirect_uri={Uri.EscapeDataString(O.RedirectUri)}"
        + $"&scope={Uri.EscapeDataString(O.Scopes)}&state={Uri.EscapeDataString(state)}");

    public Task<XeroTokens> ExchangeCodeAsync(string code, CancellationToken ct) =>
        TokenAsync(new() { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = O.RedirectUri }, ct);

    /// <summary>Trades a refresh token for new tokens; the refresh token rotates, so the caller must keep the new one.</summary>
    public Task<XeroTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, ct);

    public async Task<IReadOnlyList<XeroConnectionInfo>> GetConnectionsAsync(string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(O.ApiUrl, "/connections"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        await XeroErrors.ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<List<XeroConnectionInfo>>(ct) ?? [];
    }

    public async Task DeleteConnectionAsync(string accessToken, Guid connectionId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(O.ApiUrl, $"/connections/{connectionId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        await XeroErrors.ThrowIfFailedAsync(response, ct);
    }

    private async Task<XeroTokens> TokenAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(O.IdentityUrl, "/connect/token")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{O.ClientId}:{O.ClientSecret}")));
        using var response = await http.SendAsync(request, ct);
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct);
        if (answer?.Error == "invalid_grant") throw new XeroInvalidGrantException();
        if (!response.IsSuccessStatusCode || answer?.AccessToken is null || answer.RefreshToken is null)
            throw new XeroUnauthorizedException($"Xero's token endpoint refused the request ({(int)response.StatusCode} {answer?.Error}).");
        return new XeroTokens(answer.AccessToken, answer.RefreshToken, clock.GetUtcNow().UtcDateTime.AddSeconds(answer.ExpiresIn));
    }
}
