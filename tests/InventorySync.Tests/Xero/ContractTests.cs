using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero.Client;
using InventorySync.Xero.Models;

namespace InventorySync.Tests.Xero;

/// <summary>Everything the emulator answers and everything our client sends follows Xero's OpenAPI description.</summary>
public sealed class ContractTests(XeroFixture xero) : IClassFixture<XeroFixture>
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public void The_checker_catches_drift_from_Xeros_schemas()
    {
        var spec = XeroSpec.Accounting.Value;
        var invoices = spec.Schema("Invoices");
        Assert.Empty(spec.Check(JsonNode.Parse("""{"Invoices":[{"Type":"ACCREC","InvoiceNumber":"INV-1","Total":1.5,"Status":"AUTHORISED"}]}"""), invoices));
        Assert.Contains(spec.Check(JsonNode.Parse("""{"Invoices":[{"InvoiceNumbr":"INV-1"}]}"""), invoices), e => e.Contains("InvoiceNumbr"));
        Assert.Contains(spec.Check(JsonNode.Parse("""{"Invoices":[{"Status":"PENDING"}]}"""), invoices), e => e.Contains("PENDING"));
        Assert.Contains(spec.Check(JsonNode.Parse("""{"Invoices":[{"Total":"12.50"}]}"""), invoices), e => e.Contains("expected a number"));
        Assert.Contains(spec.Check(JsonNode.Parse("""{"BankTransactions":[{"Type":"RECEIVE"}]}"""), spec.Schema("BankTransactions")), e => e.Contains("required"));
    }

    [Fact]
    public async Task Every_request_the_client_sends_and_every_answer_of_the_emulator_follow_the_spec()
    {
        var (tenantId, org, client) = await xero.ConnectAsync("Contract Ltd");
        await client.GetOrganisationAsync(None);
        await client.GetAccountsAsync(None);
        var contact = (await client.SaveAsync("Contacts", [new Contact { Name = "Carla",
            EmailAddress = "carla@example.com", IsCustomer = true }], _ => "c1", true, None)).Single().Stored!;
        await client.SaveAsync("Contacts", [new Contact { ContactID = contact.ContactID, Name = "Carla Ltd" }],
            _ => "c2", false, None);
        var invoice = new Invoice
        {
            Type = "ACCREC", Contact = new Contact { ContactID = contact.ContactID }, InvoiceNumber = "CT-1",
                Date = "2026-11-02", DueDate = "2026-12-02",
            Status = "AUTHORISED", LineAmountTypes = "Exclusive", CurrencyCode = "NZD", Reference = "SO-1",
            LineItems = [new LineItem { Description = "Widget", Quantity = 2m, UnitAmount = 10m, AccountCode = "200",
                TaxType = "OUTPUT" }],
        };
        var saved = await client.SaveAsync("Invoices", [invoice, invoice], _ => "i1", true, None);
        var stored = saved[0].Stored!;
        await client.GetAsync<Invoice>("Invoices", stored.InvoiceID!.Value, None);
        await client.GetAllAsync<Invoice>("Invoices", new XeroQuery(Where: "Type==\"ACCREC\"",
            Statuses: ["AUTHORISED"]), 2, None);
        var payment = (await client.SaveAsync("Payments",
            [new Payment { Invoice = new Invoice { InvoiceID = stored.InvoiceID },
            Account = new AccountRef { Code = "090" }, Date = "2026-11-03", Amount = 5m, Reference = "r" }], _ => "p1",
            true, None)).Single().Stored!;
        await client.DeletePaymentAsync(payment.PaymentID!.Value, "p1-delete", None);
        await client.GetPageAsync<Payment>("Payments", new XeroQuery(Page: 1), None);
        var note = (await client.SaveAsync("CreditNotes", [new CreditNote
        {
            Type = "ACCRECCREDIT", Contact = new Contact { ContactID = contact.ContactID }, Date = "2026-11-04",
                Status = "AUTHORISED", LineAmountTypes = "Exclusive",
            LineItems = [new LineItem { Description = "Return", Quantity = 1m, UnitAmount = 5m, AccountCode = "200",
                TaxType = "NONE" }],
        }], _ => "n1", true, None)).Single().Stored!;
        await client.GetPageAsync<CreditNote>("CreditNotes", new XeroQuery(Page: 1, PageSize: 10), None);
        var allocate = new HttpRequestMessage(HttpMethod.Put,
            $"/api.xro/2.0/CreditNotes/{note.CreditNoteID}/Allocations")
        {
            Content = JsonContent.Create(new { Allocations = new[] { new { Amount = 5m, Date = "2026-11-05",
                Invoice = new { stored.InvoiceID } } } },
                options: XeroJson.Options),
        };
        allocate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await xero.Tokens.GetAsync(tenantId,
            None))!.AccessToken);
        allocate.Headers.Add("xero-tenant-id", org.Id.ToString());
        Assert.Equal(200, (int)(await xero.Raw.SendAsync(allocate)).StatusCode);
        await client.GetAsync<Invoice>("Invoices", stored.InvoiceID.Value, None);
        await client.GetAsync<CreditNote>("CreditNotes", note.CreditNoteID!.Value, None);
        await client.SaveAsync("BankTransactions", [new BankTransaction
        {
            Type = "SPEND", Contact = new Contact { ContactID = contact.ContactID },
                BankAccount = new AccountRef { Code = "090" }, Date = "2026-11-05",
            LineItems = [new LineItem { Description = "Deposit", Quantity = 1m, UnitAmount = 100m, AccountCode = "640",
                TaxType = "NONE" }],
        }], _ => "b1", true, None);
        await client.UploadAttachmentAsync("CreditNotes", note.CreditNoteID!.Value, "note.pdf", "application/pdf", [1,
            2, 3], "a1", None);
        await client.GetAttachmentsAsync("CreditNotes", note.CreditNoteID.Value, None);
        // A summarized failure: Xero's 400 ValidationException.
        var tokens = (await xero.Tokens.GetAsync(tenantId, None))!;
        var refused = new HttpRequestMessage(HttpMethod.Put,
            "/api.xro/2.0/Invoices") { Content = JsonContent.Create(new { Invoices = new[] { new { Type = "ACCREC",
            InvoiceNumber = "CT-1", Contact = new { Name = "Carla Ltd" } } } }, options: XeroJson.Options) };
        refused.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        refused.Headers.Add("xero-tenant-id", org.Id.ToString());
        Assert.Equal(400, (int)(await xero.Raw.SendAsync(refused)).StatusCode);

        var spec = XeroSpec.Accounting.Value;
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var call in xero.RequestsTo(org))
        {
            var path = call.Path["/api.xro/2.0".Length..];
            if (call.Method is "PUT" or "POST" && call.Headers.GetValueOrDefault("Content-Type")?.Contains("json") == true
                && spec.OperationSchema(call.Method, path, null) is { } requestSchema)
            {
                problems.AddRange(spec.Check(JsonNode.Parse(call.Body),
                    requestSchema).Select(e => $"{call.Method} {path} request {e}"));
                checkedCount++;
            }
            // Xero's description documents its 200 and 400 answers; every one of ours must match one.
            if (call.ResponseBody is { Length: > 0 } answer && call.Status is 200 or 400)
            {
                if (spec.OperationSchema(call.Method, path, call.Status) is { } responseSchema)
                    problems.AddRange(spec.Check(JsonNode.Parse(answer),
                        responseSchema).Select(e => $"{call.Method} {path} {call.Status} {e}"));
                else
                    problems.Add($"{call.Method} {path} {call.Status}: Xero's description has no such answer");
                checkedCount++;
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCount >= 20, $"only {checkedCount} bodies were checked");
    }

    [Fact]
    public async Task The_identity_answers_follow_the_identity_spec()
    {
        var identity = XeroSpec.Identity.Value;
        var consent = await xero.Raw.GetAsync(xero.Identity.AuthorizeUrl("s").PathAndQuery);
        var code = System.Web.HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
        var token = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code",
                ["code"] = code, ["redirect_uri"] = XeroFixture.RedirectUri }),
        };
        token.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("sandbox-client-id:sandbox-client-secret")));
        var answer = JsonNode.Parse(await (await xero.Raw.SendAsync(token)).Content.ReadAsStringAsync())!;
        // Xero's token answers carry the granted scope, which the schema leaves out.
        Assert.Empty(identity.Check(answer, identity.Schema("AccessToken"), "scope"));

        var connections = new HttpRequestMessage(HttpMethod.Get, "/connections");
        connections.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)answer["access_token"]!);
        var list = JsonNode.Parse(await (await xero.Raw.SendAsync(connections)).Content.ReadAsStringAsync())!;
        Assert.Empty(identity.Check(list, identity.OperationSchema("GET", "/Connections", 200)!));
    }
}
