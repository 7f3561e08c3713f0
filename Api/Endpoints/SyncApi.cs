using InventorySync.Api.Auth;
using InventorySync.Contracts;
using InventorySync.Grains;
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
        sync.MapPost("/", SyncNowAsync);
        sync.MapGet("/runs", (Guid tenantId, [AsParameters] PageRequest page, SyncQueries s, CancellationToken ct) =>
            s.RunsAsync(tenantId, page, ct));
        sync.MapGet("/runs/{runId:guid}", (Guid tenantId, Guid runId, SyncQueries s, CancellationToken ct) =>
            s.RunAsync(tenantId, runId, ct));
        sync.MapGet("/transactions",
            (Guid tenantId, [AsParameters] TransactionQuery query, SyncQueries s, CancellationToken ct) =>
                s.TransactionsAsync(tenantId, query, ct));
        return tenant;
    }

    /// <summary>The tenant's coordinator grain starts the run and answers at once; it goes on in the cluster.</summary>
    private static async Task<Accepted<RunStarted>> SyncNowAsync(Guid tenantId, HttpContext http, IGrainFactory grains)
    {
        var runId = await grains.GetGrain<ISyncCoordinatorGrain>(tenantId).SyncNowAsync(Caller.From(http.User).Name);
        return TypedResults.Accepted($"/api/v1/tenants/{tenantId}/sync/runs/{runId}", new RunStarted(runId));
    }
}
