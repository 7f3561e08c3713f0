using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
using X = InventorySync.Xero.Models;

namespace InventorySync.Tests.Api;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>Connecting an organisation already in use: what it holds is linked, not created again (issue 17).</summary>
public abstract class OnboardingTests(XeroApp fixture) : XeroApiTest(fixture)
{
    private const int XeroContacts = 300;
    private const int XeroInvoices = 50;

    /// <summary>An organisation with years behind it: 300 contacts, the first 50 with an invoice of 23.00.</summary>
    private void FillIn(Org org)
    {
        var now = Xero.App.Clock.GetUtcNow().UtcDateTime;
        lock (org.DocumentsGate)
            for (var i = 0; i < XeroContacts; i++)
            {
                var contact = new X.Contact
                {
                    ContactID = Guid.NewGuid(), Name = $"Customer {i:000}", ContactStatus = "ACTIVE",
                    AccountNumber = $"AC-{i:000}", EmailAddress = $"customer{i:000}@example.com",
                    UpdatedDateUTC = X.XeroJson.Timestamp(now),
                };
                org.Contacts[contact.ContactID.Value] = contact;
                if (i >= XeroInvoices) continue;
                var invoice = new X.Invoice
                {
                    InvoiceID = Guid.NewGuid(), Type = "ACCREC", InvoiceNumber = $"XI-{i:000}", Status = "AUTHORISED",
                    Contact = new X.Contact { ContactID = contact.ContactID, Name = contact.Name },
                    Date = X.XeroJson.Date(new DateOnly(2026, 10, 1)), LineAmountTypes = "Exclusive",
                    SubTotal = 20m, TotalTax = 3m, Total = 23m, AmountDue = 23m, AmountPaid = 0m, AmountCredited = 0m,
                    LineItems = [new X.LineItem { Description = "Widget", Quantity = 2m, UnitAmount = 10m,
                        AccountCode = "200" }],
                };
                org.Invoices[invoice.InvoiceID.Value] = invoice;
                org.SaleInvoiceNumbers[invoice.InvoiceNumber] = invoice.InvoiceID.Value;
            }
    }

    /// <summary>
    /// Ours: 200 of Xero's contacts (found by name, some in another case; by account number; by e-mail) and 20 new;
    /// 30 of Xero's invoices (one with another total) and 5 new.
    /// </summary>
    private static async Task<Dictionary<string, Guid>> OursAsync(HttpClient user, Guid tenantId)
    {
        var contacts = new Dictionary<string, Guid>();
        async Task AddAsync(string key, object body) => contacts[key] = (await (await user.PostJsonAsync(
            $"{TenantPath(tenantId)}/contacts", body)).ReadAsync<ContactResponse>(HttpStatusCode.Created)).Id;
        for (var i = 0; i < 200; i++)
            await AddAsync($"{i:000}", i switch
            {
                < 180 when i % 10 == 0 => new { name = $"CUSTOMER {i:000}", isCustomer = true },
                < 180 => new { name = $"Customer {i:000}", isCustomer = true },
                < 190 => new { name = $"Renamed {i:000}", email = $"customer{i:000}@example.com", isCustomer = true },
                _ => new { name = $"Renumbered {i:000}", accountNumber = $"AC-{i:000}", isCustomer = true },
            });
        for (var j = 0; j < 20; j++) await AddAsync($"new {j}", new { name = $"New Customer {j}", isCustomer = true });
        foreach (var (key, number, quantity) in Enumerable.Range(0, 30)
                     .Select(i => ($"{i:000}", $"XI-{i:000}", i == 29 ? 3m : 2m))
                     .Concat(Enumerable.Range(0, 5).Select(j => ($"new {j}", $"NEW-{j}", 2m))))
        {
            var sale = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/sales", new
            {
                contactId = contacts[key], reference = $"SO-{number}", invoices = new[] { Invoice(number, quantity) },
            })).ReadAsync<OrderResponse>(HttpStatusCode.Created);
            await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        }
        return contacts;
    }

    private int WritesTo(Org org) => Xero.Xero.RequestsTo(org).Count(r => r.Method is "PUT" or "POST");

    [Fact]
    public async Task The_first_sync_links_what_Xero_holds_creates_the_rest_refuses_a_clash_as_the_preview_said()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync(onboarding: true);
        FillIn(org);
        await OursAsync(user, tenantId);

        var calls = Xero.Xero.RequestsTo(org).Count;
        var preview = await (await user.GetAsync($"{TenantPath(tenantId)}/xero/onboarding-preview"))
            .ReadAsync<OnboardingPreviewResponse>();
        Assert.Equal(0, WritesTo(org));
        Assert.Equal(preview.Calls.LookUps, Xero.Xero.RequestsTo(org).Count - calls);
        Assert.Equal((200, 29), (preview.Link.Count(l => l.Entity == SyncEntity.Contact),
            preview.Link.Count(l => l.Entity == SyncEntity.Invoice)));
        Assert.Equal((20, 5), (preview.Create.Count(l => l.Entity == SyncEntity.Contact),
            preview.Create.Count(l => l.Entity == SyncEntity.Invoice)));
        var clash = Assert.Single(preview.Refuse);
        Assert.Equal("Xero already holds XI-029 for Customer 029, total 23.00; ours is for Customer 029, total 34.50. "
                     + "Give ours another number, or change or delete the one in Xero.", clash.Detail);

        calls = Xero.Xero.RequestsTo(org).Count;
        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.CompletedWithErrors, 254, 1), (run.State, run.Synced, run.Failed));
        var spent = Xero.Xero.RequestsTo(org).Count - calls;
        Assert.Equal(preview.Calls.LookUps + preview.Calls.Writes, spent);
        // ⌈220 contacts / 100⌉ + ⌈35 invoices / 50⌉ pages and writes, within a small constant.
        Assert.InRange(spent, 1, 3 + 1 + 2);
        var transactions = new List<SyncTransactionResponse>();
        for (var page = 1; transactions.Count < run.Synced + run.Failed; page++)
            transactions.AddRange((await (await user.GetAsync(
                    $"{TenantPath(tenantId)}/sync/transactions?runId={run.Id}&pageSize=200&page={page}"))
                .ReadAsync<Paged<SyncTransactionResponse>>()).Items);
        Assert.Equal(preview.Link.Select(l => (l.Id, l.XeroId)).Order(),
            transactions.Where(t => t.Action == SyncAction.Link).Select(t => (t.DocumentId, t.XeroId)).Order());
        Assert.Equal(preview.Create.Select(l => l.Id).Order(),
            transactions.Where(t => t is { Action: SyncAction.Create,
                Status: SyncStatus.Synced }).Select(t => t.DocumentId).Order());
        var refused = Assert.Single(transactions, t => t.Status == SyncStatus.Failed);
        Assert.Equal((clash.Id, clash.Detail), (refused.DocumentId, refused.Message));
        lock (org.DocumentsGate)
        {
            Assert.Equal(XeroContacts + 20, org.Contacts.Count);
            Assert.Equal(XeroInvoices + 5, org.Invoices.Count);
        }
        var linked = (await (await user.GetAsync($"{TenantPath(tenantId)}/activity?type=Linked"))
            .ReadAsync<Paged<ActivityResponse>>()).Items.Select(a => a.Summary).Order().ToList();
        Assert.Equal([
            "Linked 200 contacts already in Xero instead of creating them (180 matched by name, 10 matched by e-mail, "
            + "10 matched by account number)",
            "Linked 29 invoices and bills already in Xero instead of creating them (29 same number, contact and total)",
        ], linked);

        // Once a run has gone through, what is new is created without looking up first (the clash, tried again by a
        // manual run, is Xero's to refuse now): the run's calls are its pull of Xero's payments and its two batches.
        await NewContactAsync(user, tenantId, "Later Ltd");
        calls = Xero.Xero.RequestsTo(org).Count;
        var later = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((1, 1, 3), (later.Synced, later.Failed, Xero.Xero.RequestsTo(org).Count - calls));
        Assert.Empty((await (await user.GetAsync($"{TenantPath(tenantId)}/xero/onboarding-preview"))
            .ReadAsync<OnboardingPreviewResponse>()).Link);
    }

    [Fact]
    public async Task After_onboarding_a_contact_whose_name_Xero_refuses_as_taken_is_linked_to_the_one_there()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var theirs = new X.Contact { ContactID = Guid.NewGuid(), Name = "Harbour Cafe", ContactStatus = "ACTIVE" };
        lock (org.DocumentsGate) org.Contacts[theirs.ContactID.Value] = theirs;
        var ours = await NewContactAsync(user, tenantId, "HARBOUR CAFE");
        var calls = Xero.Xero.RequestsTo(org).Count;

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 1, 0), (run.State, run.Synced, run.Failed));
        var transactions = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/transactions?runId={run.Id}"))
            .ReadAsync<Paged<SyncTransactionResponse>>();
        var transaction = Assert.Single(transactions.Items);
        Assert.Equal((ours.Id, SyncAction.Link, theirs.ContactID.ToString()),
            (transaction.DocumentId, transaction.Action, transaction.XeroId));
        Assert.Contains("after Xero refused the name as taken", transaction.Message);
        // The refused create and the look-up.
        Assert.Equal(2, Xero.Xero.RequestsTo(org).Count - calls);
        lock (org.DocumentsGate) Assert.Single(org.Contacts);
    }
}

public sealed class OnboardingTests_Sqlite(SqliteXeroApp fixture) : OnboardingTests(fixture),
    IClassFixture<SqliteXeroApp>;

public sealed class OnboardingTests_Postgres(PostgresXeroApp fixture)
    : OnboardingTests(fixture), IClassFixture<PostgresXeroApp>;
