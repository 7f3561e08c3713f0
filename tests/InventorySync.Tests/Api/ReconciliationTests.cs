using System.Net;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;
using X = InventorySync.Xero.Models;

namespace InventorySync.Tests.Api;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>Reconciliation reports through the REST API against the emulator (issue 13, S8).</summary>
public abstract class ReconciliationTests(XeroApp fixture) : XeroApiTest(fixture)
{
    private static readonly object November = new { from = "2026-11-01", to = "2026-11-30", detailed = true };

    /// <summary>A connected tenant whose sales (invoices of 23.00 on 2 November) are in Xero, one of them paid 5.00.
    /// </summary>
    private async Task<(Guid TenantId, HttpClient User, Org Org,
        OrderResponse Sale)> InXeroAsync(params string[] numbers)
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        var contact = await NewContactAsync(user, tenantId);
        var sale = await NewSaleAsync(user, tenantId, contact.Id, numbers);
        foreach (var invoice in sale.Invoices) await AuthoriseAsync(user, tenantId, invoice);
        await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments",
            new { invoiceId = sale.Invoices[0].Id, amount = 5m, date = "2026-11-03" }))
            .ReadAsync<System.Text.Json.Nodes.JsonNode>(HttpStatusCode.Created);
        Assert.Equal(RunState.Succeeded, (await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId))).State);
        return (tenantId, user, org, sale);
    }

    private async Task<ReconciliationResponse> ReportAsync(HttpClient user, Guid tenantId, object request)
    {
        var started = await (await user.PostJsonAsync($"{TenantPath(tenantId)}/reconciliations", request))
            .ReadAsync<ReconciliationResponse>(HttpStatusCode.Accepted);
        var path = $"{TenantPath(tenantId)}/reconciliations/{started.Id}";
        ReconciliationResponse report = started;
        await Xero.Nodes.UntilAsync(async () =>
            (report = await (await user.GetAsync(path)).ReadAsync<ReconciliationResponse>()).State
            != ReconciliationState.Running, "the report finished");
        return report;
    }

    [Fact]
    public async Task A_month_lists_exactly_what_is_missing_on_each_side_and_what_differs()
    {
        var (tenantId, user, org, _) = await InXeroAsync("RC-1", "RC-2", "RC-3");
        // Ours only: authorised after the run.
        var contact = await NewContactAsync(user, tenantId, "Not Yet Sent");
        var unsent = await NewSaleAsync(user, tenantId, contact.Id, "RC-4");
        await AuthoriseAsync(user, tenantId, unsent.Invoices[0]);
        lock (org.DocumentsGate)
        {
            // Xero's only: entered there by hand. And RC-2 changed there.
            var extra = new X.Invoice
            {
                InvoiceID = Guid.NewGuid(), Type = "ACCREC", InvoiceNumber = "XERO-9", Status = "AUTHORISED",
                Date = X.XeroJson.Date(new DateOnly(2026, 11, 5)), Total = 40m,
                    Contact = new X.Contact { Name = "Walk-in" },
            };
            org.Invoices[extra.InvoiceID.Value] = extra;
            org.Invoices.Values.Single(i => i.InvoiceNumber == "RC-2").Total = 99m;
        }

        var report = await ReportAsync(user, tenantId, November);

        Assert.Equal((ReconciliationState.Completed, 3, 3), (report.State, report.EstimatedCalls, report.Calls));
        var result = report.Result!;
        Assert.False(result.FullyReconciled);
        Assert.Equal(
            [
                ("Missed", "ours", "RC-4", (decimal?)23.00m, (decimal?)null),
                ("Different", null, "RC-2", 23.00m, 99m),
                ("Missed", "xero", "XERO-9", null, 40m),
            ],
            result.Differences!.Select(d => (d.Status, d.Side, d.OurNumber ?? d.XeroNumber, d.OurAmount, d.XeroAmount))
                .OrderBy(d => d.Item3 == "RC-4" ? 0 : d.Item3 == "RC-2" ? 1 : 2));
        var rc4 = result.Differences!.Single(d => d.OurNumber == "RC-4");
        var second = await (await user.GetAsync(
                $"{TenantPath(tenantId)}/reconciliations/{report.Id}?page=2&pageSize=2"))
            .ReadAsync<ReconciliationResponse>();
        Assert.Equal((3, 1), (second.Result!.DifferenceCount, second.Result.Differences!.Count));
        Assert.Equal($"/api/v1/tenants/{tenantId}/invoices/{unsent.Invoices[0].Id}", rc4.OurLink);
        var invoices = result.Totals.Single(t => t.DocumentType == SyncEntity.Invoice);
        Assert.Equal((4, 92m, 4, 185m, -93m), (invoices.OurCount, invoices.Ours, invoices.XeroCount, invoices.Xero,
            invoices.Difference));
        var payments = result.Totals.Single(t => t.DocumentType == SyncEntity.Payment);
        Assert.Equal((1, 5m, 1, 5m), (payments.OurCount, payments.Ours, payments.XeroCount, payments.Xero));
        // Lines of 2 × 10.00 on the sales account; XERO-9 has none. The payment went to the mapped bank account.
        Assert.Equal([("090", SyncEntity.Payment, 5m, 5m, 0m), ("200", SyncEntity.Invoice, 80m, 60m, 20m)],
            result.Accounts.Select(a => (a.AccountCode, a.DocumentType, a.Ours, a.Xero, a.Difference)));

        var activity = (await (await user.GetAsync($"{TenantPath(tenantId)}/activity?type=Reconciliation"))
            .ReadAsync<Paged<ActivityResponse>>()).Items.Select(a => a.Summary).ToList();
        Assert.Equal(["Reconciliation of 2026-11-01 to 2026-11-30: 3 differences, 3 Xero calls",
            "Reconciliation of 2026-11-01 to 2026-11-30 started (detailed, about 3 Xero calls)"], activity);

        // Only the bank account: its payment matches, the invoices are not looked at.
        var bank = await ReportAsync(user, tenantId,
            new { from = "2026-11-01", to = "2026-11-30", accounts = new[] { "090" } });
        Assert.True(bank.Result!.FullyReconciled);
        Assert.Equal(["090"], bank.Accounts);
        Assert.Equal([SyncEntity.Payment], bank.Result.Totals.Select(t => t.DocumentType));
    }

    [Fact]
    public async Task An_identical_month_is_fully_reconciled_and_listed_with_the_reports()
    {
        var (tenantId, user, _, _) = await InXeroAsync("ID-1", "ID-2");

        var report = await ReportAsync(user, tenantId, new { from = "2026-11-01", to = "2026-12-31",
            detailed = false });

        Assert.True(report.Result!.FullyReconciled);
        Assert.Null(report.Result.Differences);
        var listed = await (await user.GetAsync($"{TenantPath(tenantId)}/reconciliations"))
            .ReadAsync<Paged<ReconciliationResponse>>();
        Assert.Equal(report.Id, Assert.Single(listed.Items).Id);
    }

    [Fact]
    public async Task A_detailed_report_over_a_month_is_refused_and_one_the_budget_cannot_pay_before_any_call()
    {
        var (tenantId, user, org) = await ConnectedTenantAsync();
        lock (Xero.State.Gate) org.DayLimit = 100;
        // A run learns what remains of the day from Xero's answers.
        await NewContactAsync(user, tenantId);
        await FinishAsync(user, tenantId, await SyncNowAsync(user, tenantId));
        var path = $"{TenantPath(tenantId)}/reconciliations";
        var calls = Xero.Xero.RequestsTo(org).Count;

        await (await user.PostJsonAsync(path, new { from = "2026-11-01", to = "2026-12-10", detailed = true }))
            .ProblemAsync(HttpStatusCode.BadRequest, "to");
        var plan = await (await user.PostJsonAsync(path + "?dryRun=true", November)).ReadAsync<ReconciliationPlan>();
        Assert.Equal((3, 99, 500), (plan.EstimatedCalls, plan.DayRemaining, plan.Reserve));
        var refused = await (await user.PostJsonAsync(path, November)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("would cost 3 Xero calls, and 99 remain today of which 500 are kept for syncs",
            (string?)refused["detail"]);
        Assert.Equal(calls, Xero.Xero.RequestsTo(org).Count);
        Assert.Empty((await (await user.GetAsync(path)).ReadAsync<Paged<ReconciliationResponse>>()).Items);
    }
}

public sealed class ReconciliationTests_Sqlite(SqliteXeroApp fixture)
    : ReconciliationTests(fixture), IClassFixture<SqliteXeroApp>;

public sealed class ReconciliationTests_Postgres(PostgresXeroApp fixture)
    : ReconciliationTests(fixture), IClassFixture<PostgresXeroApp>;
