using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.Xero.Models;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>Raw calls to the emulator's Accounting API, as a Xero client that is not ours makes them.</summary>
public abstract class EmulatorTest(XeroFixture xero)
{
    protected XeroFixture Xero => xero;

    protected async Task<(Org Org, string Access, string Refresh)> ConnectAsync()
    {
        var (tenantId, org, _) = await xero.ConnectAsync();
        var tokens = (await xero.Tokens.GetAsync(tenantId, CancellationToken.None))!;
        return (org, tokens.AccessToken, tokens.RefreshToken);
    }

    protected static HttpRequestMessage Call(HttpMethod method, string path, Org? org, string access,
        object? body = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, "/api.xro/2.0/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        if (org is not null) request.Headers.Add("xero-tenant-id", org.Id.ToString());
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        if (body is not null) request.Content = JsonContent.Create(body, options: XeroJson.Options);
        return request;
    }

    /// <summary>Sends the call and reads its answer, which must have <paramref name="status"/>.</summary>
    protected async Task<JsonNode> SendAsync(HttpRequestMessage request, HttpStatusCode status = HttpStatusCode.OK) =>
        await Json(await xero.Raw.SendAsync(request), status);

    protected static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    protected static object Invoice(string number, string status = "AUTHORISED", decimal unit = 10m) => new
    {
        Type = "ACCREC", Contact = new { Name = "Bob's Hardware" }, InvoiceNumber = number, Date = "2026-11-02",
        Status = status,
        LineItems = new[] { new { Description = "Widget", Quantity = 2m, UnitAmount = unit, AccountCode = "200",
            TaxType = "OUTPUT" } },
    };
}
