using System.Net;
using InventorySync.Contracts;
using InventorySync.Grains;
using InventorySync.Grains.Sync;
using InventorySync.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using X = InventorySync.Xero.Models;

namespace InventorySync.Tests.Api;

/// <summary>Payments both ways, customer credits and supplier deposits, through the REST API and the emulator (S5).
/// </summary>
public abstract class PaymentsTests(XeroApp fixture) : XeroApiTest(fixture)
{
    /// <summary>A connected tenant with an authorised sale invoice of 23.00 in Xero.</summary>
    private async Task<(Guid TenantId, HttpClient User, XeroSandbox.State.Org Org, InvoiceResponse Invoice,
        OrderResponse Sale)> SyncedInvoiceAsync(string number)
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, number);
        var invoice = await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
        Assert.Equal(RunState.Succeeded, (await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId))).State);
        return (tenantId, user, org, invoice, sale);
    }

    private static async Task SetPaymentsAsync(HttpClient user, Guid tenantId, PaymentDirection direction) =>
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { paymentDirection = direction }))
            .ReadAsync<TenantSettingsDto>();

    private static async Task<PaymentResponse> PayAsync(HttpClient user, Guid tenantId, Guid invoiceId,
        decimal amount = 5m, string date = "2026-11-03") =>
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId, amount, date }))
            .ReadAsync<PaymentResponse>(HttpStatusCode.Created);

    [Fact]
    public async Task Pull_only_sends_no_payment_and_says_why_then_both_sends_it_and_each_change_is_logged()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("PAY-1");
        await SetPaymentsAsync(user, tenantId, PaymentDirection.Pull);
        var payment = await PayAsync(user, tenantId, invoice.Id);

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.Succeeded, 0, 1), (run.State, run.Synced, run.Pending));
        lock (org.DocumentsGate) Assert.Empty(org.Payments);
        var waiting = await (await user.GetAsync($"{TenantPath(tenantId)}/payments/{payment.Id}"))
            .ReadAsync<PaymentResponse>();
        Assert.Equal(SyncStatus.Pending, waiting.Sync.Status);
        Assert.Contains("the payment setting is Pull", waiting.Sync.LastError);

        await SetPaymentsAsync(user, tenantId, PaymentDirection.Both);
        run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        lock (org.DocumentsGate) Assert.Equal([5m], org.Payments.Values.Select(p => p.Amount!.Value));

        var changes = await (await user.GetAsync(
                $"{TenantPath(tenantId)}/activity?type={ActivityType.PaymentDirectionChanged}"))
            .ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(["Payments changed by Ada: pull from Xero → both ways",
                "Payments changed by Ada: both ways → pull from Xero"],
            changes.Items.Select(e => e.Summary));
    }

    private static async Task<PaymentFeed> FeedAsync(HttpClient user, Guid tenantId, long after = 0) =>
        await (await user.GetAsync($"{TenantPath(tenantId)}/payments?source=xero&after={after}"))
            .ReadAsync<PaymentFeed>();

    private static async Task<Guid> XeroIdAsync(HttpClient user, Guid tenantId, Guid invoiceId) =>
        Guid.Parse((await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{invoiceId}"))
            .ReadAsync<InvoiceResponse>()).Sync.XeroId!);

    private static async Task<decimal> AmountDueAsync(HttpClient user, Guid tenantId, Guid invoiceId) =>
        (await (await user.GetAsync($"{TenantPath(tenantId)}/invoices/{invoiceId}")).ReadAsync<InvoiceResponse>())
        .AmountDue;

    [Fact]
    public async Task A_payment_entered_in_Xero_comes_back_once_reaches_the_feed_and_its_deletion_follows()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("PULL-1");
        var inXero = XeroAccountant.Pay(Xero.State, org, await XeroIdAsync(user, tenantId, invoice.Id), 8m,
            new DateOnly(2026, 11, 6));

        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        var feed = await FeedAsync(user, tenantId);
        var pulled = Assert.Single(feed.Items);
        Assert.Equal((PaymentSource.Xero, 8m, new DateOnly(2026, 11, 6), invoice.Id, inXero.PaymentID.ToString(), 1L),
            (pulled.Source, pulled.Amount, pulled.Date, pulled.DocumentId, pulled.Sync.XeroId, pulled.FeedSequence));
        Assert.Equal((1L, false), (feed.Cursor, feed.More));
        Assert.Equal(15m, await AmountDueAsync(user, tenantId, invoice.Id));
        Assert.Empty((await FeedAsync(user, tenantId, feed.Cursor)).Items);
        // Ours alone: it was not sent back to Xero.
        lock (org.DocumentsGate) Assert.Single(org.Payments);
        var edit = await (await user.PutJsonAsync($"{TenantPath(tenantId)}/payments/{pulled.Id}", new
        {
            invoiceId = invoice.Id, amount = 9m, date = "2026-11-06",
        })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("pulled from Xero", (string?)edit["detail"]);

        XeroAccountant.DeletePayment(Xero.State, org, inXero.PaymentID!.Value);
        Assert.Equal(1, await App.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<ISyncCoordinatorGrain>(tenantId).PullPaymentsAsync());

        var deleted = Assert.Single((await FeedAsync(user, tenantId, feed.Cursor)).Items);
        Assert.Equal((pulled.Id, 2L), (deleted.Id, deleted.FeedSequence));
        Assert.NotNull(deleted.DeletedInXeroAt);
        Assert.Equal(23m, await AmountDueAsync(user, tenantId, invoice.Id));
        var activity = await (await user.GetAsync(
                $"{TenantPath(tenantId)}/activity?type={ActivityType.PaymentsPulled}"))
            .ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(["Pulled 0 payments from Xero, 1 deleted there", "Pulled 1 payments from Xero"],
            activity.Items.Select(a => a.Summary));
    }

    [Fact]
    public async Task The_pull_reminder_brings_back_a_refund_on_our_credit_note_and_ignores_payments_on_others()
    {
        var (tenantId, user, org, _, sale) = await SyncedInvoiceAsync("REF-1");
        var note = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/credit-notes", new
        {
            kind = "Sale", contactId = sale.ContactId, creditNoteNumber = "CN-R1", date = "2026-11-05",
            currencyCode = "NZD", lines = new[] { new { description = "Returned", quantity = 1, unitAmount = 20m,
                taxRate = 15 } },
        })).ReadAsync<CreditNoteResponse>(HttpStatusCode.Created);
        await (await user.PostAsync($"{TenantPath(tenantId)}/credit-notes/{note.Id}/authorise", null))
            .ReadAsync<CreditNoteResponse>();
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        var noteInXero = Guid.Parse((await (await user.GetAsync($"{TenantPath(tenantId)}/credit-notes/{note.Id}"))
            .ReadAsync<CreditNoteResponse>()).Sync.XeroId!);
        var othersInvoice = new X.Invoice
        {
            InvoiceID = Guid.NewGuid(), Type = "ACCREC", InvoiceNumber = "BY-HAND-1", Status = "AUTHORISED",
            Total = 40m, AmountDue = 40m, AmountPaid = 0m, Contact = new X.Contact { Name = "Walk-in" },
        };
        lock (org.DocumentsGate) org.Invoices[othersInvoice.InvoiceID.Value] = othersInvoice;
        XeroAccountant.Pay(Xero.State, org, othersInvoice.InvoiceID.Value, 3m, new DateOnly(2026, 11, 6));
        XeroAccountant.Pay(Xero.State, org, noteInXero, 10m, new DateOnly(2026, 11, 7), creditNote: true);

        // No run: the tenant's pull reminder, registered when it connected, brings the refund back.
        await Xero.Nodes.UntilAsync(async () => (await FeedAsync(user, tenantId)).Items.Count > 0, "a pull");

        var refund = Assert.Single((await FeedAsync(user, tenantId)).Items);
        Assert.Equal((PaymentKind.Refund, note.Id, 10m, PaymentSource.Xero),
            (refund.Kind, refund.DocumentId, refund.Amount, refund.Source));
        Assert.Equal(13m, (await (await user.GetAsync($"{TenantPath(tenantId)}/credit-notes/{note.Id}"))
            .ReadAsync<CreditNoteResponse>()).RemainingCredit);
    }

    [Fact]
    public async Task Push_only_pulls_nothing_and_spends_no_call_on_it()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("PUSH-1");
        await SetPaymentsAsync(user, tenantId, PaymentDirection.Push);
        var xeroId = await XeroIdAsync(user, tenantId, invoice.Id);
        XeroAccountant.Pay(Xero.State, org, xeroId, 8m, new DateOnly(2026, 11, 6));

        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Empty((await FeedAsync(user, tenantId)).Items);
        Assert.DoesNotContain(Xero.Xero.RequestsTo(org), r => r.Method == "GET" && r.Path.EndsWith("/Payments"));
        Assert.Equal(23m, await AmountDueAsync(user, tenantId, invoice.Id));
    }

    [Fact]
    public async Task The_pull_cursor_is_kept_in_grain_storage_and_a_new_activation_goes_on_from_it()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("CURSOR-1");
        var xeroId = await XeroIdAsync(user, tenantId, invoice.Id);
        App.Clock.Advance(TimeSpan.FromHours(2));
        XeroAccountant.Pay(Xero.State, org, xeroId, 8m, new DateOnly(2026, 11, 6));
        var paidAt = Xero.State.Now;
        var coordinator = App.Services.GetRequiredService<IGrainFactory>().GetGrain<ISyncCoordinatorGrain>(tenantId);
        Assert.Equal(1, await coordinator.PullPaymentsAsync());

        // The activation goes; the next one reads the cursor back from the database.
        await coordinator.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await coordinator.PullPaymentsAsync());

        var last = Xero.Xero.RequestsTo(org).Last(r => r.Method == "GET" && r.Path.EndsWith("/Payments"));
        Assert.Equal(new DateTimeOffset(paidAt - PaymentPull.SafetyMargin, TimeSpan.Zero).ToString("R"),
            last.Headers["If-Modified-Since"]);
        Assert.Single((await FeedAsync(user, tenantId)).Items);
    }

    [Fact]
    public async Task A_second_identical_payment_here_is_refused_naming_the_first()
    {
        var (tenantId, user, _, invoice, _) = await SyncedInvoiceAsync("DUP-1");
        var first = await PayAsync(user, tenantId, invoice.Id);

        var refused = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments",
            new { invoiceId = invoice.Id, amount = 5m, date = "2026-11-03" })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains(first.Id.ToString(), (string?)refused["detail"]);
        Assert.Single((await (await user.GetAsync($"{TenantPath(tenantId)}/payments"))
            .ReadAsync<Paged<PaymentResponse>>()).Items);
        // Another day is another payment.
        await PayAsync(user, tenantId, invoice.Id, date: "2026-11-04");
    }

    [Fact]
    public async Task A_payment_pulled_from_Xero_identical_to_one_we_pushed_is_not_imported_twice()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("DUP-2");
        await PayAsync(user, tenantId, invoice.Id);
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        var xeroId = await XeroIdAsync(user, tenantId, invoice.Id);
        // The accountant enters the same payment again during bank reconciliation.
        XeroAccountant.Pay(Xero.State, org, xeroId, 5m, new DateOnly(2026, 11, 3));

        Assert.Equal(0, await App.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<ISyncCoordinatorGrain>(tenantId).PullPaymentsAsync());

        Assert.Empty((await FeedAsync(user, tenantId)).Items);
        Assert.Equal(18m, await AmountDueAsync(user, tenantId, invoice.Id));
    }

    [Fact]
    public async Task A_pulled_payment_reaches_the_signed_webhook_once_even_after_the_receiver_was_down()
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync("HOOK-1");
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        var path = $"{TenantPath(tenantId)}/settings/payments-webhook";
        var hook = await (await user.PutJsonAsync(path, new { url = receiver.Url }))
            .ReadAsync<PaymentWebhookResponse>();
        Assert.StartsWith("whsec_", hook.Secret);
        Assert.Equal((receiver.Url, (string?)null), ((await (await user.GetAsync(path))
            .ReadAsync<PaymentWebhookResponse>()) is var shown ? (shown.Url, shown.Secret) : default));
        XeroAccountant.Pay(Xero.State, org, await XeroIdAsync(user, tenantId, invoice.Id), 8m,
            new DateOnly(2026, 11, 6));

        Assert.Equal(1, await App.Services.GetRequiredService<IGrainFactory>()
            .GetGrain<ISyncCoordinatorGrain>(tenantId).PullPaymentsAsync());
        await Xero.Nodes.UntilAsync(() => Task.FromResult(receiver.Refused > 0), "the receiver refused a delivery");
        receiver.Down = false;
        await Xero.Nodes.UntilAsync(() => Task.FromResult(receiver.Received.Count > 0), "the delivery came again");
        await Xero.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Outbox.AnyAsync(m =>
            m.TenantId == tenantId && m.Kind == "payment-webhook" && m.SentAt != null)), "the delivery was recorded");
        App.Clock.Advance(TimeSpan.FromHours(1));
        await Xero.Nodes.UntilAsync(() => App.WithDbAsync(db => db.Outbox.AllAsync(m => m.SentAt != null)),
            "the outbox is empty");

        var delivery = Assert.Single(receiver.Received);
        var pulled = Assert.Single((await FeedAsync(user, tenantId)).Items);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(hook.Secret!), delivery.Body);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(signature), delivery.Headers["X-InventorySync-Signature"]);
        var change = System.Text.Json.JsonSerializer.Deserialize<PaymentWebhookEvent>(delivery.Body, Http.Json)!;
        Assert.Equal(($"{pulled.Id:N}-1", "payment.pulled", tenantId, pulled.Id, 8m),
            (change.Id, change.Type, change.TenantId, change.Payment.Id, change.Payment.Amount));
        Assert.Equal(change.Id, delivery.Headers["X-InventorySync-Delivery"]);
        // Amounts as the API writes them, two decimals at least.
        Assert.Equal("8.00",
            System.Text.Json.Nodes.JsonNode.Parse(delivery.Body)!["payment"]!["amount"]!.ToJsonString());
    }

    [Theory]
    [InlineData(PaymentDirection.Both)]
    [InlineData(PaymentDirection.Push)]
    public async Task A_payment_of_ours_whose_twin_was_entered_in_Xero_is_linked_to_it_not_created(
        PaymentDirection direction)
    {
        var (tenantId, user, org, invoice, _) = await SyncedInvoiceAsync($"TWIN-{direction}");
        await SetPaymentsAsync(user, tenantId, direction);
        var ours = await PayAsync(user, tenantId, invoice.Id);
        // The accountant enters it in Xero, during a bank reconciliation, before our run sends it.
        var theirs = XeroAccountant.Pay(Xero.State, org, await XeroIdAsync(user, tenantId, invoice.Id), 5m,
            new DateOnly(2026, 11, 3));

        var runId = await SyncNowAsync(user, tenantId);
        var run = await FinishAsync(user, tenantId, runId);

        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        lock (org.DocumentsGate) Assert.Equal([theirs.PaymentID], org.Payments.Keys.Cast<Guid?>());
        var linked = await (await user.GetAsync($"{TenantPath(tenantId)}/payments/{ours.Id}"))
            .ReadAsync<PaymentResponse>();
        Assert.Equal((SyncStatus.Synced, theirs.PaymentID.ToString()), (linked.Sync.Status, linked.Sync.XeroId));
        var transaction = Assert.Single((await (await user.GetAsync(
                $"{TenantPath(tenantId)}/sync/transactions?runId={runId}&entity=Payment"))
            .ReadAsync<Paged<SyncTransactionResponse>>()).Items);
        Assert.Equal((SyncAction.Link, SyncStatus.Synced), (transaction.Action, transaction.Status));
        Assert.Empty((await FeedAsync(user, tenantId)).Items);
        Assert.Equal(18m, await AmountDueAsync(user, tenantId, invoice.Id));
    }

    [Fact]
    public async Task A_customer_credit_becomes_receive_money_and_a_supplier_deposit_spend_money()
    {
        var (tenantId, user, org, _, sale) = await SyncedInvoiceAsync("CR-1");
        await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new
        {
            sales = "200", purchases = "300", bank = "090", customerCredits = "840", supplierDeposits = "640",
        });
        var supplier = await NewContactAsync(user, tenantId, "Timber Supplies");
        var purchase = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/purchases",
            new { contactId = supplier.Id, invoices = new[] { Invoice(null) } })).ReadAsync<OrderResponse>(
            HttpStatusCode.Created);
        var credit = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/customer-credits",
                new { saleId = sale.Id, amount = 40m, date = "2026-11-04", reference = "Prepaid" }))
            .ReadAsync<BankTransactionResponse>(HttpStatusCode.Created);
        var deposit = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/supplier-deposits",
                new { purchaseId = purchase.Id, amount = 125.5m, date = "2026-11-05" }))
            .ReadAsync<BankTransactionResponse>(HttpStatusCode.Created);

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        // The supplier, its draft bill, the credit and the deposit.
        Assert.Equal((RunState.Succeeded, 4), (run.State, run.Synced));
        lock (org.DocumentsGate)
        {
            var sent = org.BankTransactions.Values.OrderBy(b => b.Type).Select(b => (b.Type, b.Contact!.Name,
                b.BankAccount!.Code, b.LineItems!.Single().AccountCode, b.Total!.Value, X.XeroJson.ParseDate(b.Date),
                b.Reference));
            Assert.Equal([
                ("RECEIVE", "Bob's Hardware", "090", "840", 40m, (DateOnly?)new DateOnly(2026, 11, 4), "Prepaid"),
                ("SPEND", "Timber Supplies", "090", "640", 125.5m, new DateOnly(2026, 11, 5), null),
            ], sent);
        }
        foreach (var (path, id) in new[] { ("customer-credits", credit.Id), ("supplier-deposits", deposit.Id) })
        {
            var synced = await (await user.GetAsync($"{TenantPath(tenantId)}/{path}/{id}"))
                .ReadAsync<BankTransactionResponse>();
            Assert.Equal(SyncStatus.Synced, synced.Sync.Status);
            Assert.NotNull(synced.Sync.XeroId);
        }
    }

    [Fact]
    public async Task A_customer_credit_mapped_to_an_account_that_takes_no_payments_fails_naming_the_account()
    {
        var (tenantId, user, org, _, sale) = await SyncedInvoiceAsync("CR-2");
        await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new
        {
            sales = "200", purchases = "300", bank = "090", customerCredits = "850",
        });
        var credit = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/customer-credits",
                new { saleId = sale.Id, amount = 40m, date = "2026-11-04" }))
            .ReadAsync<BankTransactionResponse>(HttpStatusCode.Created);

        var run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));

        Assert.Equal((RunState.CompletedWithErrors, 1), (run.State, run.Failed));
        lock (org.DocumentsGate) Assert.Empty(org.BankTransactions);
        var failed = await (await user.GetAsync($"{TenantPath(tenantId)}/customer-credits/{credit.Id}"))
            .ReadAsync<BankTransactionResponse>();
        Assert.Equal(SyncStatus.Failed, failed.Sync.Status);
        Assert.Equal("The mapped Customer Credits account 850 (Suspense) does not accept payments in Xero: tick "
                     + "\"Enable payments to this account\" on it in Xero's chart of accounts, or map another account.",
            failed.Sync.LastError);

        // Fixed in the mapping, a manual run sends it.
        await user.PutJsonAsync($"{TenantPath(tenantId)}/account-mappings", new
        {
            sales = "200", purchases = "300", bank = "090", customerCredits = "840",
        });
        run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        lock (org.DocumentsGate) Assert.Single(org.BankTransactions);
    }
}

public sealed class PaymentsTests_Sqlite(SqliteXeroApp fixture) : PaymentsTests(fixture), IClassFixture<SqliteXeroApp>;

public sealed class PaymentsTests_Postgres(PostgresXeroApp fixture)
    : PaymentsTests(fixture), IClassFixture<PostgresXeroApp>;
