using System.Text.Json;
using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Grains.Common;
using InventorySync.Grains.Connections;
using InventorySync.Storage;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Reconciliation;

public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>Xero calls of the day kept for syncs: a report that would leave fewer is refused.</summary>
    public int ReserveCalls { get; set; } = 500;

    /// <summary>The longest period of a detailed report, in days (a month).</summary>
    public const int DetailedDays = 31;
}

/// <summary>
/// Starting, pricing and reading reconciliation reports (S8). A report's cost is known before it starts, from our
/// own counts of the period (a page of 1,000 per Xero list at least); the tenant's coordinator weighs it against the
/// day budget and starts the report on its silo.
/// </summary>
public sealed class Reconciliations(AppDb db, XeroConnections connections, IGrainFactory grains)
{
    public async Task<(ReconciliationPlan Plan, ReconciliationResponse? Started)> StartAsync(Guid tenantId,
        ReconciliationRequest request, bool dryRun, CancellationToken ct)
    {
        var v = new Validation();
        v.Check(request.From is not null, "from", "is required.");
        v.Check(request.To is not null, "to", "is required.");
        var email = v.Email("email", request.Email);
        var accounts = (request.Accounts ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct().ToList();
        v.Check(accounts.All(a => a.Length <= 10 && !a.Contains(',')), "accounts",
            "each is an account code of at most 10 characters.");
        v.ThrowIfInvalid();
        var (from, to, detailed) = (request.From!.Value, request.To!.Value, request.Detailed ?? false);
        var days = to.DayNumber - from.DayNumber + 1;
        v.Check(days >= 1, "to", "must not be before from.");
        v.Check(!detailed || days <= ReconciliationOptions.DetailedDays, "to",
            $"a detailed report covers at most one month ({ReconciliationOptions.DetailedDays} days); this one covers "
            + $"{days}. Ask for a summary, or a shorter period.");
        v.ThrowIfInvalid();
        await connections.OrganisationOfAsync(tenantId, ct);

        var estimate = await EstimateAsync(tenantId, from, to, ct);
        var start = new ReconciliationStart(Guid.CreateVersion7(), from, to, detailed, accounts, estimate,
            dryRun || request.DryRun == true, email);
        var budget = await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).ReconcileAsync(start);
        var plan = new ReconciliationPlan(estimate, budget.DayRemaining, budget.Reserve);
        if (start.DryRun) return (plan, null);
        if (!budget.Started)
            throw new ConflictException(
                $"The report would cost {estimate} Xero calls, and {budget.DayRemaining} remain today of which "
                + $"{budget.Reserve} are kept for syncs: try a shorter period or tomorrow.");
        return (plan, await GetAsync(tenantId, start.ReportId, new PageRequest(null, null), ct));
    }

    /// <summary>A report with its result; a detailed one's differences a page at a time (DifferenceCount: all).
    /// </summary>
    public async Task<ReconciliationResponse> GetAsync(Guid tenantId, Guid id, PageRequest page, CancellationToken ct)
    {
        var (number, size) = page.Checked();
        var r = await db.Reconciliations.AsNoTracking().FirstOrDefaultAsync(x => x.TenantId == tenantId && x.Id == id,
            ct)
                ?? throw new NotFoundException($"The reconciliation {id}");
        var response = ToResponse(r, withResult: true);
        return response.Result?.Differences is { } all
            ? response with
            {
                Result = response.Result with { Differences = all.Skip((number - 1) * size).Take(size).ToList() },
            }
            : response;
    }

    public async Task<Paged<ReconciliationResponse>> ListAsync(Guid tenantId, PageRequest page, CancellationToken ct) =>
        await db.Reconciliations.AsNoTracking().Where(x => x.TenantId == tenantId).OrderByDescending(x => x.CreatedAt)
            .ToPagedAsync(page, r => ToResponse(r, withResult: false), ct);

    /// <summary>
    /// Pages of 1,000 for what we hold of each Xero list the report reads (approved invoices and credit notes,
    /// payments) in the period, one at least.
    /// </summary>
    private async Task<int> EstimateAsync(Guid tenantId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        static int Pages(int count) => Math.Max(1, (count + 999) / 1000);
        var invoices = await db.Invoices.CountAsync(i => i.TenantId == tenantId
            && i.Status == DocumentStatus.Authorised && i.Date >= from && i.Date <= to, ct);
        var notes = await db.CreditNotes.CountAsync(n => n.TenantId == tenantId
            && n.Status == DocumentStatus.Authorised && n.Date >= from && n.Date <= to, ct);
        var payments = await db.Payments.CountAsync(p => p.TenantId == tenantId && p.Date >= from && p.Date <= to, ct);
        return Pages(invoices) + Pages(notes) + Pages(payments);
    }

    private static ReconciliationResponse ToResponse(Storage.Entities.Reconciliation r, bool withResult) => new(
        r.Id, r.From, r.To, r.Detailed, r.Accounts.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Email,
        Enum.Parse<ReconciliationState>(r.State), r.EstimatedCalls, r.Calls,
        r.CreatedAt, r.FinishedAt, r.Message,
        withResult && r.Result is { } json ? JsonSerializer.Deserialize<ReconciliationResult>(json,
            ReconciliationReport.ResultJson) : null);
}
