using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Api;

public abstract class DocumentsApiTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Each_change_bumps_the_version_and_makes_the_document_pending_from_that_moment()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var created = await NewContactAsync(user, tenantId, "Harbour Cafe");
        Assert.Equal((1, SyncStatus.Pending, App.Clock.GetUtcNow().UtcDateTime), (created.Version, created.Sync.Status, created.Sync.PendingSince));

        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var updated = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/contacts/{created.Id}",
            new { name = "Harbour Cafe Ltd", email = "accounts@harbour.example.com", isCustomer = true })).ReadAsync<ContactResponse>();
        Assert.Equal(2, updated.Version);
        Assert.Equal(App.Clock.GetUtcNow().UtcDateTime, updated.Sync.PendingSince);
        Assert.Equal("accounts@harbour.example.com", updated.Email);
        var read = await (await user.GetAsync($"{TenantPath(tenantId)}/contacts/{created.Id}")).ReadAsync<ContactResponse>();
        Assert.Equal(updated, read);
    }

    [Fact]
    public async Task Lists_page_in_creation_order()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        for (var i = 1; i <= 5; i++) await NewContactAsync(user, tenantId, $"Customer {i}");

        var page2 = await (await user.GetAsync($"{TenantPath(tenantId)}/contacts?page=2&pageSize=2")).ReadAsync<Paged<ContactResponse>>();
        Assert.Equal((2, 2, 5), (page2.Page, page2.PageSize, page2.TotalCount));
        Assert.Equal(["Customer 3", "Customer 4"], page2.Items.Select(c => c.Name));
        var page3 = await (await user.GetAsync($"{TenantPath(tenantId)}/contacts?page=3&pageSize=2")).ReadAsync<Paged<ContactResponse>>();
        Assert.Equal(["Customer 5"], page3.Items.Select(c => c.Name));
    }

    [Fact]
    public async Task An_advanced_sale_has_several_invoices_with_totals_computed_as_Xero_rounds()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var response = await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new
        {
            contactId = contact.Id,
            reference = "SO-1001",
            invoices = new object[]
            {
                new
                {
                    invoiceNumber = "INV-1001", date = "2026-11-02", currencyCode = "nzd", lineAmountTypes = "Exclusive",
                    lines = new object[]
                    {
                        // 3 × 3.3350 = 10.005 → 10.01; tax 15% of 10.01 = 1.5015 → 1.50
                        new { description = "Bolts", quantity = 3, unitAmount = 3.3350m, taxRate = 15 },
                        new { description = "Nuts", quantity = 1.5m, unitAmount = 2.00m, taxRate = 15, lineAmount = 3.00m, taxAmount = 0.45m },
                    },
                    subTotal = 13.01m, totalTax = 1.95m, total = 14.96m,
                },
                new
                {
                    invoiceNumber = "INV-1002", date = "2026-11-02", currencyCode = "NZD", lineAmountTypes = "Inclusive",
                    // 115.00 including 15% tax: tax = 115 × 15 / 115 = 15.00
                    lines = new[] { new { description = "Drill", quantity = 1, unitAmount = 115.00m, taxRate = 15 } },
                },
            },
        });
        var sale = await response.ReadAsync<OrderResponse>(HttpStatusCode.Created);
        Assert.Equal($"{TenantPath(tenantId)}/sales/{sale.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(2, sale.Invoices.Count);
        var first = sale.Invoices.Single(i => i.InvoiceNumber == "INV-1001");
        Assert.Equal((13.01m, 1.95m, 14.96m, "NZD"), (first.SubTotal, first.TotalTax, first.Total, first.CurrencyCode));
        Assert.Equal([10.01m, 3.00m], first.Lines.Select(l => l.LineAmount));
        var second = sale.Invoices.Single(i => i.InvoiceNumber == "INV-1002");
        Assert.Equal((100.00m, 15.00m, 115.00m), (second.SubTotal, second.TotalTax, second.Total));
        Assert.All(sale.Invoices, i => Assert.Equal((DocumentStatus.Draft, 1, SyncStatus.Pending), (i.Status, i.Version, i.Sync.Status)));

        var third = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales/{sale.Id}/invoices", Invoice("INV-1003")))
            .ReadAsync<InvoiceResponse>(HttpStatusCode.Created);
        var reread = await (await user.GetAsync($"{TenantPath(tenantId)}/sales/{sale.Id}")).ReadAsync<OrderResponse>();
        Assert.Equal(3, reread.Invoices.Count);
        Assert.Contains(reread.Invoices, i => i.Id == third.Id);
    }

    [Fact]
    public async Task Amounts_carry_two_decimals_on_create_and_in_lists_and_the_api_document_calls_them_decimal()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-D1");
        await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        var created = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments",
            new { invoiceId = sale.Invoices[0].Id, amount = 5, date = "2026-11-03" })).Content.ReadAsStringAsync();
        var listed = await user.GetStringAsync($"{TenantPath(tenantId)}/payments");
        var invoices = await user.GetStringAsync($"{TenantPath(tenantId)}/sales");

        Assert.Contains("\"amount\":5.00", created);
        Assert.Contains("\"amount\":5.00", listed);
        // 2 × 10.00 + 15 % tax, and 5.00 of it paid.
        Assert.Contains("\"total\":23.00", invoices);
        Assert.Contains("\"amountPaid\":5.00", invoices);
        Assert.Contains("\"amountDue\":18.00", invoices);

        var document = System.Text.Json.Nodes.JsonNode.Parse(await user.GetStringAsync("/openapi/v1.json"))!;
        var total = document["components"]!["schemas"]!["InvoiceResponse"]!["properties"]!["total"]!;
        Assert.Equal("decimal", (string?)total["format"]);
    }

    [Fact]
    public async Task A_batch_of_sales_is_stored_whole_or_not_at_all()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var batch = $"{TenantPath(tenantId)}/sales/batch";

        var refused = await (await user.PostJsonAsync(batch, new
        {
            items = new object[]
            {
                new { contactId = contact.Id, invoices = new[] { Invoice("B-1") } },
                new { contactId = contact.Id, invoices = new[] { Invoice("B-2", quantity: 0) } },
                new { contactId = contact.Id, invoices = new[] { Invoice("B-1") } },
            },
        })).ProblemAsync(HttpStatusCode.BadRequest, "items[1].invoices[0].lines[0].quantity", "items");
        Assert.Contains("B-1", refused["errors"]!["items"]![0]!.ToString());
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/sales"));

        var created = await (await user.PostJsonAsync(batch, new
        {
            items = Enumerable.Range(1, 20).Select(i => new { contactId = contact.Id, reference = $"SO-{i}", invoices = new[] { Invoice($"B-{i}") } }).ToArray(),
        })).ReadAsync<BatchResponse<OrderResponse>>(HttpStatusCode.Created);
        Assert.Equal(20, created.Items.Count);
        Assert.Equal(20, await CountAsync(user, $"{TenantPath(tenantId)}/sales"));
        await (await user.PostJsonAsync(batch, new { items = Array.Empty<object>() })).ProblemAsync(HttpStatusCode.BadRequest, "items");
    }

    [Fact]
    public async Task Invoices_go_draft_authorised_voided_and_refuse_what_Xero_would_refuse()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var invoice = (await NewSaleAsync(user, tenantId, contact.Id, "INV-2001")).Invoices[0];
        var path = $"{TenantPath(tenantId)}/sales/{invoice.OrderId}/invoices/{invoice.Id}";

        var authorised = await AuthoriseAsync(user, tenantId, invoice);
        Assert.Equal((DocumentStatus.Authorised, 2), (authorised.Status, authorised.Version));
        await (await user.PostAsync($"{path}/authorise", null)).ProblemAsync(HttpStatusCode.Conflict);

        var payment = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = invoice.Id, amount = 10m, date = "2026-11-03" }))
            .ReadAsync<PaymentResponse>(HttpStatusCode.Created);
        var paid = await (await user.GetAsync(path)).ReadAsync<InvoiceResponse>();
        Assert.Equal((10m, 13m), (paid.AmountPaid, paid.AmountDue));
        var refused = await (await user.PostAsync($"{path}/void", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("10", (string?)refused["detail"]);

        // Moving the payment to another invoice frees the first one.
        var other = (await NewSaleAsync(user, tenantId, contact.Id, "INV-2002")).Invoices[0];
        await AuthoriseAsync(user, tenantId, other);
        var moved = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/payments/{payment.Id}",
            new { invoiceId = other.Id, amount = 4m, date = "2026-11-04" })).ReadAsync<PaymentResponse>();
        Assert.Equal((other.Id, 2), (moved.DocumentId, moved.Version));
        Assert.Equal(0m, (await (await user.GetAsync(path)).ReadAsync<InvoiceResponse>()).AmountPaid);

        var voided = await (await user.PostAsync($"{path}/void", null)).ReadAsync<InvoiceResponse>();
        Assert.Equal((DocumentStatus.Voided, 3), (voided.Status, voided.Version));
        await (await user.PutJsonAsync(path, Invoice("INV-2001"))).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Sale_invoice_numbers_are_unique_within_a_tenant_but_not_across_tenants()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        await NewSaleAsync(user, tenantId, contact.Id, "INV-3001");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { contactId = contact.Id, invoices = new[] { Invoice("INV-3001") } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices[0].invoiceNumber");
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { contactId = contact.Id, invoices = new[] { Invoice("A"), Invoice("A") } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invoices");

        var (otherTenant, otherUser, _) = await NewTenantWithUserAsync("Other");
        var otherContact = await NewContactAsync(otherUser, otherTenant);
        await NewSaleAsync(otherUser, otherTenant, otherContact.Id, "INV-3001");
    }

    [Fact]
    public async Task Sales_created_at_once_share_commits_and_one_taking_a_number_just_taken_alone_is_refused()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var numbers = Enumerable.Range(1, 40).Select(i => $"INV-G{i}").Append("INV-G1").Append("INV-G2").ToList();

        var answers = await Task.WhenAll(numbers.Select(async n =>
        {
            var response = await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new { contactId = contact.Id, invoices = new[] { Invoice(n) } });
            return (Number: n, response.StatusCode);
        }));

        // Each number is taken once; a request that lost its number to another is refused, the rest are kept.
        Assert.Equal(40, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created),
            a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Conflict }));
        var stored = await (await user.GetAsync($"{TenantPath(tenantId)}/sales?pageSize=200")).ReadAsync<Paged<OrderResponse>>();
        Assert.Equal(numbers.Distinct().Order(), stored.Items.SelectMany(o => o.Invoices).Select(i => i.InvoiceNumber!).Order());
    }

    [Fact]
    public async Task Purchases_carry_bills_from_suppliers_and_credit_notes_take_refunds()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var customerOnly = await NewContactAsync(user, tenantId, "Walk-in customer", customer: true, supplier: false);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/purchases", new { contactId = customerOnly.Id, invoices = new[] { Invoice(null) } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "contactId");

        var supplier = await NewContactAsync(user, tenantId, "Steel Supplies", customer: false, supplier: true);
        var purchase = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/purchases",
            new { contactId = supplier.Id, reference = "PO-77", invoices = new[] { Invoice("SUP-INV-9"), Invoice("SUP-INV-9") } }))
            .ReadAsync<OrderResponse>(HttpStatusCode.Created);
        var bill = purchase.Invoices[0];
        var authorised = await (await user.PostAsync($"{TenantPath(tenantId)}/purchases/{purchase.Id}/bills/{bill.Id}/authorise", null))
            .ReadAsync<InvoiceResponse>();
        Assert.Equal(DocumentStatus.Authorised, authorised.Status);
        // A bill is not reachable as a sale.
        await (await user.GetAsync($"{TenantPath(tenantId)}/sales/{purchase.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        var note = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/credit-notes", new
        {
            kind = "Purchase", contactId = supplier.Id, orderId = purchase.Id, creditNoteNumber = "CN-1", date = "2026-11-05",
            currencyCode = "NZD", lines = new[] { new { description = "Returned steel", quantity = 1, unitAmount = 50m, taxRate = 15 } },
        })).ReadAsync<CreditNoteResponse>(HttpStatusCode.Created);
        Assert.Equal((57.50m, DocumentStatus.Draft), (note.Total, note.Status));
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/refunds", new { creditNoteId = note.Id, amount = 10m, date = "2026-11-06" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "creditNoteId");

        await (await user.PostAsync($"{TenantPath(tenantId)}/credit-notes/{note.Id}/authorise", null)).ReadAsync<CreditNoteResponse>();
        var refund = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/refunds", new { creditNoteId = note.Id, amount = 57.50m, date = "2026-11-06", accountCode = "090" }))
            .ReadAsync<PaymentResponse>(HttpStatusCode.Created);
        Assert.Equal((PaymentKind.Refund, note.Id), (refund.Kind, refund.DocumentId));
        var refunded = await (await user.GetAsync($"{TenantPath(tenantId)}/credit-notes/{note.Id}")).ReadAsync<CreditNoteResponse>();
        Assert.Equal((57.50m, 0m), (refunded.AmountRefunded, refunded.RemainingCredit));
        Assert.Equal(1, await CountAsync(user, $"{TenantPath(tenantId)}/refunds"));
        Assert.Equal(0, await CountAsync(user, $"{TenantPath(tenantId)}/payments"));
    }

    [Fact]
    public async Task Customer_credits_apply_to_sales_and_supplier_deposits_to_purchases()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-4001");
        var purchase = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/purchases", new { contactId = contact.Id, invoices = new[] { Invoice(null) } }))
            .ReadAsync<OrderResponse>(HttpStatusCode.Created);

        var credit = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/customer-credits", new { saleId = sale.Id, amount = 25.50m, date = "2026-11-02" }))
            .ReadAsync<BankTransactionResponse>(HttpStatusCode.Created);
        Assert.Equal((BankTransactionKind.CustomerCredit, contact.Id, 25.50m), (credit.Kind, credit.ContactId, credit.Amount));
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/customer-credits", new { saleId = purchase.Id, amount = 1m, date = "2026-11-02" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "saleId");

        var deposit = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/supplier-deposits", new { purchaseId = purchase.Id, amount = 100m, date = "2026-11-02", reference = "DEP-1" }))
            .ReadAsync<BankTransactionResponse>(HttpStatusCode.Created);
        Assert.Equal((BankTransactionKind.SupplierDeposit, "DEP-1"), (deposit.Kind, deposit.Reference));
        Assert.Equal(1, await CountAsync(user, $"{TenantPath(tenantId)}/customer-credits"));
        Assert.Equal(1, await CountAsync(user, $"{TenantPath(tenantId)}/supplier-deposits"));
    }

    [Fact]
    public async Task Settings_and_account_mappings_are_kept_and_validated()
    {
        var (tenantId, user, _) = await NewTenantWithUserAsync();
        var defaults = await (await user.GetAsync($"{TenantPath(tenantId)}/settings")).ReadAsync<TenantSettingsDto>();
        Assert.Equal((false, PaymentDirection.Both, AlertType.Internal, false), (defaults.ExportAttachments, defaults.PaymentDirection, defaults.Alerts!.Type, defaults.AutoSync!.Enabled));

        var saved = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new
        {
            exportAttachments = true,
            paymentDirection = "Push",
            autoSync = new { enabled = true, startDate = "2026-11-03", startTime = "06:30", every = 4, unit = "Hours" },
            alerts = new { type = "Email", emails = new[] { "ops@acme.example.com", "boss@acme.example.com" } },
        })).ReadAsync<TenantSettingsDto>();
        Assert.Equal(new AutoSyncSettingsDto(true, new DateOnly(2026, 11, 3), new TimeOnly(6, 30), 4, FrequencyUnit.Hours), saved.AutoSync);
        Assert.Equal(["ops@acme.example.com", "boss@acme.example.com"], saved.Alerts!.Emails);

        // Only the field sent changes.
        var partly = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { paymentDirection = "Pull" })).ReadAsync<TenantSettingsDto>();
        Assert.Equal((PaymentDirection.Pull, true), (partly.PaymentDirection, partly.ExportAttachments));

        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new
        {
            autoSync = new { every = 0 },
            alerts = new { type = "Email", emails = new[] { "not-an-address" } },
        })).ProblemAsync(HttpStatusCode.BadRequest, "autoSync.every", "alerts.emails[0]");
        var unchanged = await (await user.GetAsync($"{TenantPath(tenantId)}/settings")).ReadAsync<TenantSettingsDto>();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(partly), System.Text.Json.JsonSerializer.Serialize(unchanged));

        var mapping = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings",
            new { sales = "200", bank = "090", customerCredits = "820", supplierDeposits = "630" })).ReadAsync<AccountMappingsDto>();
        Assert.Equal(new AccountMappingsDto("200", null, "090", "820", "630"), mapping);
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new { sales = "12345678901" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "sales");
        Assert.Equal(mapping, await (await user.GetAsync($"{TenantPath(tenantId)}/account-mappings")).ReadAsync<AccountMappingsDto>());
    }
}

public sealed class DocumentsApiTests_Sqlite(SqliteApp fixture) : DocumentsApiTests(fixture), IClassFixture<SqliteApp>;

public sealed class DocumentsApiTests_Postgres(PostgresApp fixture) : DocumentsApiTests(fixture), IClassFixture<PostgresApp>;
