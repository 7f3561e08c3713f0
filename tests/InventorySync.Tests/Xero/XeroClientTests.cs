using InventorySync.Tests.Infrastructure;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox.State;

namespace InventorySync.Tests.Xero;

/// <summary>Our Xero client against the emulator: each operation, and its behaviour under Xero's limits and failures.</summary>
public sealed class XeroClientTests(XeroFixture xero) : IClassFixture<XeroFixture>
{
    private static CancellationToken None => CancellationToken.None;

    private static Invoice NewInvoice(string number, string status = "AUTHORISED") => new()
    {
        Type = "ACCREC", Contact = new Contact { Name = "Bob's Hardware" }, InvoiceNumber = number, Date = "2026-11-02", Status = status,
        LineAmountTypes = "Exclusive",
        LineItems = [new LineItem { Description = "Widget", Quantity = 3m, UnitAmount = 9.99m, AccountCode = "200", TaxType = "OUTPUT" }],
    };

    private static string KeyOf<T>(IReadOnlyList<T> batch) where T : IBatchElement =>
        "test-" + string.Join(",", batch.Select(e => e switch { Invoice i => i.InvoiceNumber, Contact c => c.Name, _ => e.GetHashCode().ToString() }));

    private static int Creations(IEnumerable<RecordedRequest> requests, string resource) =>
        requests.Count(r => r.Method is "PUT" or "POST" && r.Path == $"/api.xro/2.0/{resource}" && r.Status == 200);

    [Fact]
    public async Task Organisation_accounts_contacts_and_invoices_round_trip()
    {
        var (_, org, client) = await xero.ConnectAsync("Round Trip Ltd");
        Assert.Equal("Round Trip Ltd", (await client.GetOrganisationAsync(None)).Name);
        var accounts = await client.GetAccountsAsync(None);
        Assert.Contains(accounts, a => a is { Code: "090", Type: "BANK" });
        Assert.Contains(accounts, a => a is { Code: "840", EnablePaymentsToAccount: true });

        var contacts = await client.SaveAsync("Contacts", [new Contact { Name = "Ann", EmailAddress = "ann@example.com", IsCustomer = true }], KeyOf, createOnly: true, None);
        var ann = Assert.Single(contacts).Stored!;
        var renamed = await client.SaveAsync("Contacts", [new Contact { ContactID = ann.ContactID, Name = "Ann Smith" }], KeyOf, createOnly: false, None);
        Assert.Equal("Ann Smith", renamed.Single().Stored!.Name);

        var saved = await client.SaveAsync("Invoices", [NewInvoice("RT-1")], KeyOf, createOnly: true, None);
        var invoice = saved.Single().Stored!;
        Assert.Equal((29.97m, 4.50m, 34.47m, "AUTHORISED"), (invoice.SubTotal!.Value, invoice.TotalTax!.Value, invoice.Total!.Value, invoice.Status));
        var read = await client.GetAsync<Invoice>("Invoices", invoice.InvoiceID!.Value, None);
        Assert.Equal(new DateOnly(2026, 11, 2), XeroJson.ParseDate(read.Date));
        Assert.Equal(3, xero.RequestsTo(org).Count(r => r.Method != "GET"));
    }

    [Fact]
    public async Task A_batch_with_one_invalid_invoice_fails_only_that_one()
    {
        var (_, org, client) = await xero.ConnectAsync();
        var outcomes = await client.SaveAsync("Invoices", [NewInvoice("X-1"), NewInvoice("X-1"), NewInvoice("X-2")], KeyOf, createOnly: true, None);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Succeeded));
        Assert.Equal("Invoice # must be unique.", Assert.Single(outcomes[1].Errors));
        Assert.Equal(2, org.Invoices.Count);
    }

    [Fact]
    public async Task Writes_go_in_batches_of_at_most_50_and_reads_page_concurrently()
    {
        var (_, org, client) = await xero.ConnectAsync();
        var invoices = Enumerable.Range(1, 120).Select(i => NewInvoice($"BULK-{i:000}")).ToList();
        var outcomes = await client.SaveAsync("Invoices", invoices, KeyOf, createOnly: true, None);
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(Enumerable.Range(0, 120), outcomes.Select(o => o.Index));
        Assert.Equal(3, Creations(xero.RequestsTo(org), "Invoices"));

        var all = await client.GetAllAsync<Invoice>("Invoices", new XeroQuery(PageSize: 25), parallel: 3, None);
        Assert.Equal(invoices.Select(i => i.InvoiceNumber).Order(), all.Select(i => i.InvoiceNumber).Order());
        Assert.Equal(5, xero.RequestsTo(org).Count(r => r.Method == "GET" && r.Path == "/api.xro/2.0/Invoices"));
    }

    [Fact]
    public async Task Payments_refunds_bank_transactions_and_attachments_round_trip()
    {
        var (_, org, client) = await xero.ConnectAsync();
        var invoice = (await client.SaveAsync("Invoices", [NewInvoice("PAY-1")], KeyOf, true, None)).Single().Stored!;
        var payment = (await client.SaveAsync("Payments",
            [new Payment { Invoice = new Invoice { InvoiceID = invoice.InvoiceID }, Account = new AccountRef { Code = "090" }, Date = "2026-11-03", Amount = 34.47m }],
            _ => "pay-1", true, None)).Single();
        Assert.True(payment.Succeeded);
        Assert.Equal("PAID", (await client.GetAsync<Invoice>("Invoices", invoice.InvoiceID!.Value, None)).Status);
        var deleted = await client.DeletePaymentAsync(payment.Stored!.PaymentID!.Value, "delete-pay-1", None);
        Assert.Equal("DELETED", deleted.Status);

        var note = (await client.SaveAsync("CreditNotes", [new CreditNote
        {
            Type = "ACCRECCREDIT", Contact = new Contact { Name = "Bob's Hardware" }, Date = "2026-11-04", Status = "AUTHORISED",
            LineItems = [new LineItem { Description = "Return", Quantity = 1m, UnitAmount = 10m, AccountCode = "200", TaxType = "NONE" }],
        }], _ => "cn-1", true, None)).Single().Stored!;
        var refund = (await client.SaveAsync("Payments",
            [new Payment { CreditNote = new CreditNote { CreditNoteID = note.CreditNoteID }, Account = new AccountRef { Code = "090" }, Date = "2026-11-05", Amount = 10m }],
            _ => "refund-1", true, None)).Single();
        Assert.Equal("ARCREDITPAYMENT", refund.Stored!.PaymentType);

        var credit = (await client.SaveAsync("BankTransactions", [new BankTransaction
        {
            Type = "RECEIVE", Contact = new Contact { Name = "Bob's Hardware" }, BankAccount = new AccountRef { Code = "090" }, Date = "2026-11-06",
            LineItems = [new LineItem { Description = "Customer credit", Quantity = 1m, UnitAmount = 50m, AccountCode = "840", TaxType = "NONE" }],
        }], _ => "credit-1", true, None)).Single();
        Assert.Equal((true, 50m), (credit.Succeeded, credit.Stored!.Total!.Value));

        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var attachment = await client.UploadAttachmentAsync("Invoices", invoice.InvoiceID.Value, "delivery note.pdf", "application/pdf", bytes, "att-1", None);
        Assert.Equal(("delivery note.pdf", 5000), (attachment.FileName, attachment.ContentLength!.Value));
        Assert.Single(await client.GetAttachmentsAsync("Invoices", invoice.InvoiceID.Value, None));
        Assert.Equal(bytes, await client.DownloadAttachmentAsync("Invoices", invoice.InvoiceID.Value, attachment.AttachmentID!.Value, None));
    }

    [Fact]
    public async Task An_expiring_access_token_is_refreshed_once_and_the_new_refresh_token_is_kept()
    {
        var (tenantId, org, client) = await xero.ConnectAsync();
        var before = (await xero.Tokens.GetAsync(tenantId, None))!;
        xero.Clock.Advance(TimeSpan.FromMinutes(29));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAccountsAsync(None)));

        var after = (await xero.Tokens.GetAsync(tenantId, None))!;
        Assert.NotEqual(before.RefreshToken, after.RefreshToken);
        Assert.Equal(xero.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), after.ExpiresAt);
        var bearers = xero.RequestsTo(org).Where(r => r.Path.EndsWith("/Accounts")).Select(r => r.Headers["Authorization"]).Distinct().ToList();
        Assert.Equal(["Bearer " + after.AccessToken], bearers);
    }

    [Fact]
    public async Task A_handle_keeps_its_fresh_access_token_and_the_next_handle_takes_a_refresh_made_elsewhere()
    {
        var (tenantId, org, client) = await xero.ConnectAsync();
        var first = (await xero.Tokens.GetAsync(tenantId, None))!;
        await client.GetOrganisationAsync(None);
        // Another node refreshes: Xero keeps the first access token valid until it expires.
        await xero.Tokens.SaveAsync(tenantId, await xero.Identity.RefreshAsync(first.RefreshToken, None), None);
        var second = (await xero.Tokens.GetAsync(tenantId, None))!;

        await client.GetAccountsAsync(None);
        await xero.Api.For(tenantId, org.Id.ToString()).GetAccountsAsync(None);

        var bearers = xero.RequestsTo(org).Where(r => r.Path.EndsWith("/Accounts"))
            .Select(r => r.Headers["Authorization"]);
        Assert.Equal(["Bearer " + first.AccessToken, "Bearer " + second.AccessToken], bearers);
        Assert.All(xero.RequestsTo(org), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task No_token_ever_reaches_the_logs()
    {
        var (tenantId, _, client) = await xero.ConnectAsync();
        var first = (await xero.Tokens.GetAsync(tenantId, None))!;
        await client.GetAccountsAsync(None);
        xero.Clock.Advance(TimeSpan.FromMinutes(29));
        await client.GetAccountsAsync(None);
        var second = (await xero.Tokens.GetAsync(tenantId, None))!;
        Assert.NotEqual(first.AccessToken, second.AccessToken);

        var lines = xero.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("/api.xro/2.0/Accounts"));
        foreach (var secret in new[] { first.AccessToken, first.RefreshToken, second.AccessToken, second.RefreshToken })
            Assert.DoesNotContain(lines, l => l.Contains(secret));
    }

    [Fact]
    public async Task A_revoked_refresh_token_is_reported_as_invalid_grant()
    {
        var (_, _, client) = await xero.ConnectAsync();
        (await xero.Raw.PostAsync("/sandbox/refresh-tokens/revoke", null)).EnsureSuccessStatusCode();
        xero.Clock.Advance(TimeSpan.FromMinutes(31));
        await Assert.ThrowsAsync<XeroInvalidGrantException>(() => client.GetAccountsAsync(None));
    }

    [Fact]
    public async Task Under_429_bursts_every_invoice_is_created_once_and_the_calls_wait_as_told()
    {
        var (_, org, client) = await xero.ConnectAsync();
        org.MinuteLimit = 5;   // Xero counts calls we do not see: our client still believes it has 60 a minute.
        var invoices = Enumerable.Range(1, 400).Select(i => NewInvoice($"BURST-{i:000}")).ToList();

        IReadOnlyList<BatchOutcome<Invoice>> outcomes;
        try { outcomes = await xero.RunAsync(client.SaveAsync("Invoices", invoices, KeyOf, true, None)); }
        catch { foreach (var r in xero.RequestsTo(org)) Console.WriteLine($"DEBUG {r.At:mm:ss.fff} {r.Method} {r.Path} {r.Status} key={r.Headers.GetValueOrDefault("Idempotency-Key")}"); throw; }

        Assert.All(outcomes, o => Assert.True(o.Succeeded, string.Join(" ", o.Errors)));
        Assert.Equal(400, org.Invoices.Count);
        var requests = xero.RequestsTo(org);
        Assert.Equal(8, Creations(requests, "Invoices"));
        // After a 429 the client waited at least Retry-After before calling again.
        for (var i = 0; i + 1 < requests.Count; i++)
            if (requests[i].Status == 429) Assert.True(requests[i + 1].At - requests[i].At >= TimeSpan.FromSeconds(1));
        XeroAssert.NeverAbove(requests, org.MinuteLimit);
    }

    [Fact]
    public async Task The_client_stays_under_the_limits_it_knows_without_a_single_429()
    {
        var (_, org, client) = await xero.ConnectAsync();
        var reads = Task.WhenAll(Enumerable.Range(0, 150).Select(_ => client.GetAccountsAsync(None)));
        await xero.RunAsync(reads);
        var requests = xero.RequestsTo(org);
        var refused = requests.Where(r => r.Status != 200).Select(r => $"{r.At:HH:mm:ss.fff} {r.Status} {r.ResponseBody}").ToList();
        Assert.True(requests.Count == 150 && refused.Count == 0, $"{requests.Count} calls; not answered 200: {string.Join(" | ", refused)}");
        XeroAssert.NeverAbove(requests, 60);
    }

    [Fact]
    public async Task Failures_5xx_and_timeouts_are_retried_with_the_same_key_and_create_nothing_twice()
    {
        var (_, org, client) = await xero.ConnectAsync();
        await xero.FaultAsync("503", 1);
        await xero.FaultAsync("500", 1);
        await xero.FaultAsync("hang", 1);
        var outcomes = await xero.RunAsync(client.SaveAsync("Invoices", [NewInvoice("RETRY-1")], KeyOf, true, None));

        Assert.True(outcomes.Single().Succeeded);
        Assert.Single(org.Invoices);
        var writes = xero.RequestsTo(org).Where(r => r.Method == "PUT").ToList();
        Assert.Equal(4, writes.Count);
        Assert.Single(writes.Select(w => w.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task Writes_without_a_safe_retry_are_not_retried_and_errors_carry_Xeros_messages()
    {
        var (_, org, client) = await xero.ConnectAsync();
        await xero.FaultAsync("503", 4);
        var unavailable = await xero.RunAsync(Assert.ThrowsAsync<XeroUnavailableException>(() => client.GetAccountsAsync(None)));
        Assert.Equal(503, unavailable.Status);
        Assert.Equal(4, xero.RequestsTo(org).Count);

        var missing = await Assert.ThrowsAsync<XeroNotFoundException>(() => client.GetAsync<Invoice>("Invoices", Guid.NewGuid(), None));
        Assert.Contains("could not be found", missing.Message);
    }

    [Fact]
    public async Task A_spent_day_budget_stops_calls_without_spinning()
    {
        var (_, org, client) = await xero.ConnectAsync();
        org.DayLimit = 3;
        for (var i = 0; i < 3; i++) await client.GetAccountsAsync(None);
        var spent = await Assert.ThrowsAsync<XeroDayLimitException>(() => client.GetAccountsAsync(None));
        Assert.True(spent.RetryAt > xero.Clock.GetUtcNow().UtcDateTime);
        await Assert.ThrowsAsync<XeroDayLimitException>(() => client.SaveAsync("Invoices", [NewInvoice("LATE-1")], KeyOf, true, None));
        Assert.Equal(3, xero.RequestsTo(org).Count);
        Assert.Equal(0, xero.Api.LimitsOf(org.Id.ToString()).DayRemaining);
    }

    [Fact]
    public void Batches_split_by_count_and_by_size()
    {
        var small = Enumerable.Range(0, 120).Select(i => NewInvoice($"S-{i}")).ToList();
        Assert.Equal([50, 50, 20], XeroOrganisation.Batches(small, 50, 3_500_000).Select(b => b.Batch.Count));
        var large = Enumerable.Range(0, 10).Select(i => NewInvoice($"L-{i}")).ToList();
        foreach (var invoice in large) invoice.Reference = new string('x', 1000);
        var bySize = XeroOrganisation.Batches(large, 50, 3000).ToList();
        Assert.All(bySize, b => Assert.True(b.Batch.Count <= 3));
        Assert.Equal(Enumerable.Range(0, 10), bySize.SelectMany(b => Enumerable.Range(b.Offset, b.Batch.Count)));
    }
}

