using InventorySync.Contracts;
using InventorySync.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Api.Auth;

/// <summary>
/// Guards every /tenants/{tenantId}/... route: a user's key sees its own tenant only, and any other tenant's id
/// answers 404 exactly like an id that does not exist (S1.1).
/// </summary>
public sealed class TenantAccessFilter(AppDb db) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tenantId = Guid.TryParse(http.GetRouteValue("tenantId")?.ToString(), out var id) ? id : (Guid?)null;
        return await TenantAccess.RefusalAsync(db, Caller.From(http.User), tenantId, http.RequestAborted)
            is { } refusal
            ? Problems.Result(refusal.Status, refusal.Message)
            : await next(context);
    }
}

/// <summary>Whether a caller may see a tenant: the API's routes and the web pages ask the same.</summary>
public static class TenantAccess
{
    public sealed record Refusal(int Status, string Message);

    public static async Task<Refusal?> RefusalAsync(AppDb db, Caller caller, Guid? tenantId, CancellationToken ct)
    {
        if (tenantId is null) return new(StatusCodes.Status404NotFound, "The tenant was not found.");
        if (!caller.IsOperator && caller.TenantId != tenantId)
            return new(StatusCodes.Status404NotFound, $"The tenant {tenantId} was not found.");
        // A user's key was read together with its tenant's status; only the operator's calls need a look-up.
        var status = caller.IsOperator
            ? await db.Tenants.Where(t => t.Id == tenantId).Select(t => (TenantStatus?)t.Status).FirstOrDefaultAsync(ct)
            : caller.TenantStatus;
        if (status is null) return new(StatusCodes.Status404NotFound, $"The tenant {tenantId} was not found.");
        if (status == TenantStatus.Disabled && !caller.IsOperator)
            return new(StatusCodes.Status403Forbidden,
                $"The tenant {tenantId} is disabled; ask the operator to enable it.");
        return null;
    }
}
