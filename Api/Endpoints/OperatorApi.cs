using InventorySync.Contracts;
using InventorySync.Grains.Sync;
using InventorySync.Grains.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace InventorySync.Api.Endpoints;

/// <summary>What only the operator (admin key) does: tenants and their users (S1.1).</summary>
public static class OperatorApi
{
    public static RouteGroupBuilder MapOperatorApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").RequireAuthorization(ApiRegistration.OperatorPolicy).WithTags("Tenants");

        tenants.MapPost("/", async Task<Created<TenantResponse>> (TenantRequest body, TenantService s, HttpRequest req, CancellationToken ct) =>
            Created(req, await s.CreateAsync(body, ct)));
        tenants.MapGet("/", ([AsParameters] PageRequest page, TenantService s, CancellationToken ct) => s.ListAsync(page, ct));
        tenants.MapGet("/{tenantId:guid}", (Guid tenantId, TenantService s, CancellationToken ct) => s.GetAsync(tenantId, ct));
        tenants.MapPut("/{tenantId:guid}", (Guid tenantId, TenantRequest body, TenantService s, CancellationToken ct) => s.UpdateAsync(tenantId, body, ct));
        tenants.MapPost("/{tenantId:guid}/disable", (Guid tenantId, TenantService s, CancellationToken ct) => s.SetStatusAsync(tenantId, TenantStatus.Disabled, ct));
        tenants.MapPost("/{tenantId:guid}/enable", (Guid tenantId, TenantService s, CancellationToken ct) => s.SetStatusAsync(tenantId, TenantStatus.Active, ct));
        tenants.MapDelete("/{tenantId:guid}", async Task<NoContent> (Guid tenantId, TenantService s, CancellationToken ct) =>
        {
            await s.DeleteAsync(tenantId, ct);
            return TypedResults.NoContent();
        });

        var maintenance = api.MapGroup("/maintenance-windows").RequireAuthorization(ApiRegistration.OperatorPolicy).WithTags("Maintenance windows");
        maintenance.MapPost("/", async Task<Created<MaintenanceWindowResponse>> (MaintenanceWindowRequest body, MaintenanceWindows s, HttpRequest req, CancellationToken ct) =>
            Created(req, await s.CreateAsync(body, ct)));
        maintenance.MapGet("/", (MaintenanceWindows s, CancellationToken ct) => s.ListAsync(ct));
        maintenance.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, MaintenanceWindows s, CancellationToken ct) =>
        {
            await s.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        });

        var users = tenants.MapGroup("/{tenantId:guid}/users").WithTags("Users");
        users.MapPost("/", async Task<Created<CreatedUserResponse>> (Guid tenantId, UserRequest body, TenantService s, HttpRequest req, CancellationToken ct) =>
            Created(req, await s.CreateUserAsync(tenantId, body, ct)));
        users.MapGet("/", (Guid tenantId, TenantService s, CancellationToken ct) => s.ListUsersAsync(tenantId, ct));
        users.MapDelete("/{userId:guid}", (Guid tenantId, Guid userId, TenantService s, CancellationToken ct) => s.RevokeUserAsync(tenantId, userId, ct));
        return api;
    }

    /// <summary>201 with the new resource's address: the collection's path plus its id.</summary>
    public static Created<T> Created<T>(HttpRequest request, T resource) where T : IResource =>
        TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{resource.Id}", resource);
}
