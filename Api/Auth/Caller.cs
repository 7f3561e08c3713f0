using System.Security.Claims;
using InventorySync.Contracts;

namespace InventorySync.Api.Auth;

/// <summary>Who sent the request: the operator (admin key) or a named user of one tenant.</summary>
public sealed record Caller(bool IsOperator, Guid? UserId, Guid? TenantId, TenantStatus? TenantStatus, string Name)
{
    public const string OperatorRole = "operator";
    public const string TenantClaim = "tenant_id";
    public const string TenantStatusClaim = "tenant_status";

    /// <summary>Idempotency keys are remembered per caller, so two callers never collide on one key.</summary>
    public string Scope => IsOperator ? "operator" : $"user:{UserId}";

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.IsInRole(OperatorRole),
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var user) ? user : null,
        Guid.TryParse(principal.FindFirstValue(TenantClaim), out var tenant) ? tenant : null,
        Enum.TryParse<TenantStatus>(principal.FindFirstValue(TenantStatusClaim), out var status) ? status : null,
        principal.Identity?.Name ?? "");
}
