using InventorySync.Contracts;
using InventorySync.Grains.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>Reconciliation reports: priced before they start, run by a grain, read when done (S8).</summary>
public static class ReconciliationApi
{
    public static RouteGroupBuilder MapReconciliationApi(this RouteGroupBuilder tenant)
    {
        var reports = tenant.MapGroup("/reconciliations").WithTags("Reconciliation");
        reports.MapPost("/", StartAsync);
        reports.MapGet("/", (Guid tenantId, [AsParameters] PageRequest page, Reconciliations s, CancellationToken ct) =>
            s.ListAsync(tenantId, page, ct));
        reports.MapGet("/{reportId:guid}", (Guid tenantId, Guid reportId, [AsParameters] PageRequest page,
            Reconciliations s, CancellationToken ct) => s.GetAsync(tenantId, reportId, page, ct));
        return tenant;
    }

    /// <summary>
    /// 200 with the cost for a dry run (<c>?dryRun=true</c> or the field); 202 with the report once it started; 409
    /// when the day budget cannot pay for it.
    /// </summary>
    private static async Task<Results<Ok<ReconciliationPlan>, Accepted<ReconciliationResponse>>> StartAsync(
        Guid tenantId, ReconciliationRequest body, [FromQuery] bool? dryRun, Reconciliations s, CancellationToken ct)
    {
        var (plan, started) = await s.StartAsync(tenantId, body, dryRun ?? false, ct);
        return started is null
            ? TypedResults.Ok(plan)
            : TypedResults.Accepted($"/api/v1/tenants/{tenantId}/reconciliations/{started.Id}", started);
    }
}
