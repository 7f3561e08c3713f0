using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Alerts;
using InventorySync.Storage;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using X = InventorySync.Xero.Models;

namespace InventorySync.Grains.Reconciliation;

/// <summary>
/// Runs one reconciliation report: Xero's invoices and bills, credit notes and payments of the period, each a paged
/// query with a <c>where</c> on the date and status (with their lines: totals per account need them), every source's
/// first page at once and the remaining pages five at a time; then the comparison with ours, written to the report
/// with its real cost.
/// </summary>
public sealed class ReconciliationReport(AppDb db, XeroApi api, ActivityLog activity, TimeProvider clock)
{
    /// <summary>Calls at once: the organisation's concurrency limit.</summary>
    private const int AtOnce = 5;

    public static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    /// <summary>The Xero lists a report reads; one page each at least.</summary>
    private static readonly IReadOnlyList<string> Sources = ["Invoices", "CreditNotes", "Payments"];

    public async Task RunAsync(Guid tenantId, Guid reportId, CancellationToken ct)
    {
        var report = await db.Reconciliations.FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Id == reportId, ct);
        if (report is null || report.State != nameof(ReconciliationState.Running)) return;
        var connection = await db.XeroConnections.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == tenantId, ct);
        var calls = 0;
        try
        {
            if (connection is not { Status: ConnectionStatus.Connected, XeroTenantId: { } xeroTenantId })
                throw new XeroException("The tenant is not connected to Xero.");
            var xero = api.For(tenantId, xeroTenantId);
            var firsts = await Task.WhenAll(Sources.Select(s => PageAsync(xero, s, report.From, report.To, 1, ct)));
            calls += firsts.Length;
            var theirs = new ConcurrentBag<Compared>(firsts.SelectMany(l => l.Items));
            var rest = firsts.SelectMany(l => Enumerable.Range(2, Math.Max(0, l.Pages - 1)).Select(p => (l.Source, p)));
            await Parallel.ForEachAsync(rest, new ParallelOptions { MaxDegreeOfParallelism = AtOnce,
                CancellationToken = ct },
                async (next, token) =>
                {
                    foreach (var item in (await PageAsync(xero, next.Source, report.From, report.To, next.p,
                        token)).Items)
                        theirs.Add(item);
                    Interlocked.Increment(ref calls);
                });
            var accounts = report.Accounts.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var result = ReconciliationComparison.Compare(await OursAsync(tenantId, report.From, report.To, ct),
                [.. theirs], accounts, report.Detailed);
            (report.State, report.Result) = (nameof(ReconciliationState.Completed), JsonSerializer.Serialize(result,
                ResultJson));
            var outcome = $"Reconciliation of {Period(report)}: "
                          + (result.FullyReconciled ? "fully reconciled" : $"{result.DifferenceCount} differences");
            activity.Add(tenantId, ActivityType.Reconciliation, null, outcome + $", {calls} Xero calls");
            if (report.Email is { } to)
                new AlertEmail([to], $"{await TenantNameAsync(tenantId, ct)}: {outcome}",
                    $"{outcome}. The report is attached; it is also at "
                    + $"/api/v1/tenants/{tenantId}/reconciliations/{report.Id}.",
                    new MailFile($"reconciliation-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.csv", "text/csv",
                        ReconciliationCsv.Of(result))).Enqueue(db, tenantId, clock.GetUtcNow().UtcDateTime);
        }
        catch (XeroException e)
        {
            (report.State, report.Message) = (nameof(ReconciliationState.Failed), e.Message);
            activity.Add(tenantId, ActivityType.Reconciliation, null,
                $"Reconciliation of {Period(report)} failed after {calls} Xero calls: {e.Message}");
        }
        (report.Calls, report.FinishedAt) = (calls, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
    }

    private sealed record Page(string Source, int Pages, IReadOnlyList<Compared> Items);

    private static async Task<Page> PageAsync(XeroOrganisation xero, string source, DateOnly from, DateOnly to,
        int page, CancellationToken ct)
    {
        var dates = $"Date >= {DateTime(from)} AND Date <= {DateTime(to)}";
        var query = new XeroQuery(Page: page, PageSize: XeroOrganisation.MaxPageSize);
        return source switch
        {
            "Invoices" => Of(await xero.GetPageAsync<X.Invoice>(source,
                query with { Where = $"{dates} AND {Approved}" },
                ct), i => new Compared(i.Type == "ACCREC" ? SyncEntity.Invoice : SyncEntity.Bill, null, null,
                i.InvoiceID?.ToString(), i.InvoiceNumber, i.Total ?? 0, Lines(i.LineItems))),
            "CreditNotes" => Of(await xero.GetPageAsync<X.CreditNote>(source,
                query with { Where = $"{dates} AND {Approved}" },
                ct), n => new Compared(SyncEntity.CreditNote, null, null, n.CreditNoteID?.ToString(),
                    n.CreditNoteNumber,
                n.Total ?? 0, Lines(n.LineItems))),
            _ => Of(await xero.GetPageAsync<X.Payment>(source,
                query with { Where = $"{dates} AND Status == \"AUTHORISED\"" },
                ct), p => new Compared(p.CreditNote is null ? SyncEntity.Payment : SyncEntity.Refund, null, null,
                p.PaymentID?.ToString(), p.Reference, p.Amount ?? 0, One(p.Account?.Code, p.Amount ?? 0))),
        };

        Page Of<T>(XeroPage<T> answer, Func<T, Compared> compared) =>
            new(source, answer.Pagination?.PageCount ?? 1, answer.Items.Select(compared).ToList());
    }

    private Task<string> TenantNameAsync(Guid tenantId, CancellationToken ct) =>
        db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleAsync(ct);

    private const string Approved = "(Status == \"AUTHORISED\" OR Status == \"PAID\")";

    /// <summary>
    /// Our authorised invoices, bills and credit notes, and our payments and refunds, of the period; a line or payment
    /// without an account posts to the tenant's mapped one, as a run sends it.
    /// </summary>
    private async Task<List<Compared>> OursAsync(Guid tenantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var path = $"/api/v1/tenants/{tenantId}/";
        var mapped = await db.AccountMappings.Where(m => m.TenantId == tenantId)
            .ToDictionaryAsync(m => m.Purpose, m => m.AccountCode, ct);
        string? Default(OrderKind kind) =>
            mapped.GetValueOrDefault(kind == OrderKind.Sale ? AccountPurpose.Sales : AccountPurpose.Purchases);
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.Status == DocumentStatus.Authorised)
            .Where(i => i.Date >= from && i.Date <= to)
            .ToListAsync(ct);
        var notes = await db.CreditNotes.AsNoTracking()
            .Where(n => n.TenantId == tenantId && n.Status == DocumentStatus.Authorised)
            .Where(n => n.Date >= from && n.Date <= to)
            .ToListAsync(ct);
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.Date >= from && p.Date <= to)
            .Select(p => new { p.Id, p.Kind, p.Sync.XeroId, p.Reference, p.Amount, p.AccountCode }).ToListAsync(ct);
        return
        [
            .. invoices.Select(i => new Compared(i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, i.Id,
                path + $"invoices/{i.Id}", i.Sync.XeroId, i.InvoiceNumber, i.Total, Lines(i, Default(i.Kind)))),
            .. notes.Select(n => new Compared(SyncEntity.CreditNote, n.Id, path + $"credit-notes/{n.Id}", n.Sync.XeroId,
                n.CreditNoteNumber, n.Total, Lines(n, Default(n.Kind)))),
            .. payments.Select(p => new Compared(p.Kind == PaymentKind.Payment ? SyncEntity.Payment : SyncEntity.Refund,
                p.Id, path + (p.Kind == PaymentKind.Payment ? "payments/" : "refunds/") + p.Id, p.XeroId, p.Reference,
                p.Amount, One(p.AccountCode ?? mapped.GetValueOrDefault(AccountPurpose.Bank), p.Amount))),
        ];
    }

    private static Dictionary<string, decimal> Lines(Storage.Entities.LineItemDocument d, string? defaultAccount) =>
        d.Lines.GroupBy(l => l.AccountCode ?? defaultAccount ?? "").ToDictionary(g => g.Key,
            g => g.Sum(l => l.LineAmount));

    private static Dictionary<string, decimal> Lines(List<X.LineItem>? lines) =>
        (lines ?? []).GroupBy(l => l.AccountCode ?? "").ToDictionary(g => g.Key, g => g.Sum(l => l.LineAmount ?? 0));

    private static Dictionary<string, decimal> One(string? account,
        decimal amount) => new() { [account ?? ""] = amount };

    private static string DateTime(DateOnly d) =>
        string.Create(CultureInfo.InvariantCulture, $"DateTime({d.Year},{d.Month:00},{d.Day:00})");

    private static string Period(Storage.Entities.Reconciliation r) => $"{r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}";
}
