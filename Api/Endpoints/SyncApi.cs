using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>Sync now, the history of runs and their transactions (S3.2, S3.10).</summary>
public static class SyncApi
{
    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder tenant)
    {
        var sync = tenant.MapGroup("/sync").WithTags("Sync");
        sync.MapPost("/", async Task<Accepted<RunStarted>> (Guid tenantId, HttpContext http, SyncCoordinator s, CancellationToken ct) =>
        {
            var started = await s.SyncNowAsync(tenantId, Caller.From(http.User).Name, ct);
            return TypedResults.Accepted($"/api/v1/tenants/{tenantId}/sync/runs/{started.RunId}", started);
        });
        sync.MapGet("/runs", (Guid tenantId, [AsParameters] PageRequest page, SyncCoordinator s, CancellationToken ct) => s.RunsAsync(tenantId, page, ct));
        sync.MapGet("/runs/{runId:guid}", (Guid tenantId, Guid runId, SyncCoordinator s, CancellationToken ct) => s.RunAsync(tenantId, runId, ct));
        sync.MapGet("/transactions", (Guid tenantId, [AsParameters] TransactionQuery query, SyncCoordinator s, CancellationToken ct) =>
            s.TransactionsAsync(tenantId, query, ct));
        return tenant;
    }
}
