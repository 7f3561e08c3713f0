using System.Net;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

/// <summary>Every bad write gets a 4xx problem naming what was wrong, and leaves nothing stored (S2.2).</summary>
public abstract class BadInputTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Malformed_json_mistyped_values_and_unknown_fields_are_named()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var path = $"{TenantPath(tenantId)}/contacts";

        await (await user.PostRawAsync(path, """{"name": "Half""")).ProblemAsync(HttpStatusCode.BadRequest);
        var mistyped = await (await user.PostRawAsync(path, """{"name": "Bob", "isCustomer": "yes"}""")).ProblemAsync(HttpStatusCode.BadRequest, "isCustomer");
        Assert.Contains("wrong type", (string?)mistyped["detail"]);
        await (await user.PostRawAsync(path, """{"name": "Bob", "isCustomr": true}""")).ProblemAsync(HttpStatusCode.BadRequest, "isCustomr");
        await (await user.PostRawAsync($"{TenantPath(tenantId)}/payments", """{"invoiceId": "not-a-guid", "amount": 1, "date": "2026-11-02"}"""))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoiceId");
        await (await user.PostRawAsync($"{TenantPath(tenantId)}/payments", """{"invoiceId": null, "amount": "12.50", "date": "2026-11-02"}"""))
            .ProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await user.PostRawAsync(path, "")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, await CountAsync(user, path));
    }

    [Fact]
    public async Task Missing_required_fields_are_all_named_at_once()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);

        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/contacts", new { email = "x@y.example.com" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "name", "isCustomer");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { reference = "SO-9" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "contactId", "invoices");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { contactId = contact.Id, invoices = new[] { new { lines = new[] { new { } } } } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].invoiceNumber", "invoices[0].date", "invoices[0].currencyCode",
                "invoices[0].lines[0].quantity", "invoices[0].lines[0].unitAmount", "invoices[0].lines[0].description");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoiceId", "amount", "date");

        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/sales"));
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/payments"));
    }

    [Fact]
    public async Task Negative_absurd_and_over_precise_amounts_are_refused()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sales = $"{TenantPath(tenantId)}/sales";

        await (await user.PostJsonAsync(sales, new { contactId = contact.Id, invoices = new[] { Invoice("INV-1", quantity: -1) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].quantity");
        await (await user.PostJsonAsync(sales, new { contactId = contact.Id, invoices = new[] { Invoice("INV-1", quantity: 1e15m) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].quantity");
        await (await user.PostJsonAsync(sales, new { contactId = contact.Id, invoices = new[] { Invoice("INV-1", unitAmount: -5m) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].unitAmount");
        await (await user.PostJsonAsync(sales, new { contactId = contact.Id, invoices = new[] { Invoice("INV-1", unitAmount: 1.23456m) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].unitAmount");
        await (await user.PostJsonAsync(sales, new { contactId = contact.Id, invoices = new[] { Invoice("INV-1", taxRate: 150) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].taxRate");

        var invoice = (await NewSaleAsync(user, tenantId, contact.Id, "INV-OK")).Invoices[0];
        await AuthoriseAsync(user, tenantId, invoice);
        var payments = $"{TenantPath(tenantId)}/payments";
        await (await user.PostJsonAsync(payments, new { invoiceId = invoice.Id, amount = -1m, date = "2026-11-02" })).ProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await user.PostJsonAsync(payments, new { invoiceId = invoice.Id, amount = 0.001m, date = "2026-11-02" })).ProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await user.PostJsonAsync(payments, new { invoiceId = invoice.Id, amount = 23.01m, date = "2026-11-02" })).ProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/customer-credits", new { saleId = invoice.OrderId, amount = 1e20m, date = "2026-11-02" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "amount");

        Assert.Equal(1, await CountAsync(user, sales));
        Assert.Equal(0, await CountAsync(user, payments));
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/customer-credits"));
    }

    [Fact]
    public async Task Totals_that_do_not_add_up_are_refused_with_the_right_figure()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var problem = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new
        {
            contactId = contact.Id,
            invoices = new[]
            {
                new
                {
                    invoiceNumber = "INV-T", date = "2026-11-02", currencyCode = "NZD",
                    lines = new[] { new { description = "Widget", quantity = 2m, unitAmount = 10m, taxRate = 15m, lineAmount = 21m } },
                    total = 25m,
                },
            },
        })).ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].lines[0].lineAmount", "invoices[0].total");
        Assert.Contains("23.00", problem["errors"]!["invoices[0].total"]![0]!.ToString());
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/sales"));
    }

    [Fact]
    public async Task Unknown_and_foreign_references_are_named_and_nothing_is_stored()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var (otherTenant, otherUser, _) = await NewTenantWithUserAsync("Other");
        var foreignContact = await NewContactAsync(otherUser, otherTenant);
        var foreignInvoice = (await NewSaleAsync(otherUser, otherTenant, foreignContact.Id, "INV-F")).Invoices[0];

        var missing = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = Guid.NewGuid(), amount = 5m, date = "2026-11-02" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoiceId");
        Assert.Contains("no invoice", (string?)missing["errors"]!["invoiceId"]![0]);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = foreignInvoice.Id, amount = 5m, date = "2026-11-02" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoiceId");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { contactId = foreignContact.Id, invoices = new[] { Invoice("INV-X") } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "contactId");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales/{foreignInvoice.OrderId}/invoices", Invoice("INV-Y")))
            .ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/payments"));
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/sales"));
        Assert.Single((await (await otherUser.GetAsync($"{TenantPath(otherTenant)}/sales/{foreignInvoice.OrderId}")).ReadAsync<InventorySync.Contracts.OrderResponse>()).Invoices);
    }

    [Fact]
    public async Task Connecting_Xero_without_the_apps_credentials_says_what_to_configure()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var problem = await (await user.PostAsync($"{TenantPath(tenantId)}/xero/connect", null)).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Xero__ClientId", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Unknown_routes_and_tenants_answer_problem_details()
    {
        await (await Admin.GetAsync("/api/v1/nowhere")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.GetAsync($"{TenantPath(Guid.NewGuid())}/contacts")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Admin.PostJsonAsync($"{TenantPath(Guid.NewGuid())}/contacts", new { name = "x", isCustomer = true })).ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class BadInputTests_Sqlite(SqliteApp fixture) : BadInputTests(fixture), IClassFixture<SqliteApp>;

public sealed class BadInputTests_Postgres(PostgresApp fixture) : BadInputTests(fixture), IClassFixture<PostgresApp>;
