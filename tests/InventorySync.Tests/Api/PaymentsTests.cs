using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
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
        lock (Xero.State.Gate) Assert.Empty(org.Payments);
        var waiting = await (await user.GetAsync($"{TenantPath(tenantId)}/payments/{payment.Id}"))
            .ReadAsync<PaymentResponse>();
        Assert.Equal(SyncStatus.Pending, waiting.Sync.Status);
        Assert.Contains("the payment setting is Pull", waiting.Sync.LastError);

        await SetPaymentsAsync(user, tenantId, PaymentDirection.Both);
        run = await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        Assert.Equal((RunState.Succeeded, 1), (run.State, run.Synced));
        lock (Xero.State.Gate) Assert.Equal([5m], org.Payments.Values.Select(p => p.Amount!.Value));

        var changes = await (await user.GetAsync(
                $"{TenantPath(tenantId)}/activity?type={ActivityType.PaymentDirectionChanged}"))
            .ReadAsync<Paged<ActivityResponse>>();
        Assert.Equal(["Payments changed by Ada: pull from Xero → both ways",
                "Payments changed by Ada: both ways → pull from Xero"],
            changes.Items.Select(e => e.Summary));
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
        lock (Xero.State.Gate)
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
        lock (Xero.State.Gate) Assert.Empty(org.BankTransactions);
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
        lock (Xero.State.Gate) Assert.Single(org.BankTransactions);
    }
}

public sealed class PaymentsTests_Sqlite(SqliteXeroApp fixture) : PaymentsTests(fixture), IClassFixture<SqliteXeroApp>;

public sealed class PaymentsTests_Postgres(PostgresXeroApp fixture)
    : PaymentsTests(fixture), IClassFixture<PostgresXeroApp>;
