using InventorySync.Contracts;
using InventorySync.Grains.Activity;
using InventorySync.Storage;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Reconciliation;

/// <summary>
/// Weighs a report's cost against the organisation's day budget as this silo last heard it from Xero
/// (<c>X-DayLimit-Remaining</c>; the whole day before any call) less the reserve kept for syncs, and writes the
/// report's row when it goes ahead. Used by the tenant's coordinator, on the silo where its calls are made.
/// </summary>
public sealed class ReconciliationPlanner(
    AppDb db, XeroLimits limits, IOptions<XeroOptions> xero, IOptions<ReconciliationOptions> options,
    ActivityLog activity, TimeProvider clock)
{
    public async Task<ReconciliationBudget> AdmitAsync(Guid tenantId, ReconciliationStart start, CancellationToken ct)
    {
        var xeroTenantId = await db.XeroConnections.Where(c => c.TenantId == tenantId).Select(c => c.XeroTenantId)
            .SingleAsync(ct);
        var remaining = limits.For(xeroTenantId!).DayRemaining ?? xero.Value.DayLimit;
        var reserve = options.Value.ReserveCalls;
        if (start.DryRun || start.EstimatedCalls > remaining - reserve) return new(remaining, reserve, Started: false);
        db.Reconciliations.Add(new Storage.Entities.Reconciliation
        {
            Id = start.ReportId, TenantId = tenantId, From = start.From, To = start.To, Detailed = start.Detailed,
            Accounts = string.Join(',', start.Accounts), Email = start.Email,
            State = nameof(ReconciliationState.Running), EstimatedCalls = start.EstimatedCalls,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        activity.Add(tenantId, ActivityType.Reconciliation, null,
            $"Reconciliation of {start.From:yyyy-MM-dd} to {start.To:yyyy-MM-dd} started "
            + $"({(start.Detailed ? "detailed" : "summary")}, about {start.EstimatedCalls} Xero calls)");
        await db.SaveChangesAsync(ct);
        return new(remaining, reserve, Started: true);
    }
}
