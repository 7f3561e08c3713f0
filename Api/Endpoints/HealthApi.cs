using InventorySync.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

public static class HealthApi
{
    public sealed record Health(string Status);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("alive"))).WithTags("Health").AllowAnonymous();
        // Ready once migrations are applied and while the database answers.
        app.MapGet("/readyz", async Task<Results<Ok<Health>, ProblemHttpResult>> (StartupGate gate, AppDb db, CancellationToken ct) =>
        {
            if (!gate.IsReady)
                return Problems.Result(StatusCodes.Status503ServiceUnavailable, "Starting: database migrations are not applied yet.");
            return await db.Database.CanConnectAsync(ct)
                ? TypedResults.Ok(new Health("ready"))
                : Problems.Result(StatusCodes.Status503ServiceUnavailable, "The database does not answer.");
        }).WithTags("Health").AllowAnonymous();
        return app;
    }
}
