using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>Looks up the documents a request names; a missing one (or another tenant's) is a field error, not a 404.</summary>
internal static class References
{
    /// <summary>
    /// The id of the tenant's contact when it exists and can be the counterparty of a <paramref name="kind"/> document
    /// (a customer for sales, a supplier for purchases); otherwise null, with the field's error. Compiled and
    /// projected: every single sale and credit note asks it.
    /// </summary>
    public static async Task<Guid?> ContactAsync(AppDb db, Validation v, string field, Guid tenantId, OrderKind kind,
        Guid? id, CancellationToken ct)
    {
        if (id is not { } contactId) return null;
        var roles = await RolesOf.For(db)(db, tenantId, contactId, ct);
        v.Check(roles is not null, field, $"no contact {id} exists.");
        if (roles is null) return null;
        var fits = kind == OrderKind.Sale ? roles.IsCustomer : roles.IsSupplier;
        v.Check(fits, field, $"contact {id} is not a {(kind == OrderKind.Sale ? "customer" : "supplier")}.");
        return contactId;
    }

    private sealed record ContactRoles(bool IsCustomer, bool IsSupplier);

    private static readonly CompiledPerModel<Func<AppDb, Guid, Guid, CancellationToken, Task<ContactRoles?>>> RolesOf =
        new(() => EF.CompileAsyncQuery((AppDb db, Guid tenantId, Guid id, CancellationToken ct) => db.Contacts
            .Where(c => c.TenantId == tenantId && c.Id == id)
            .Select(c => new ContactRoles(c.IsCustomer, c.IsSupplier))
            .FirstOrDefault()));

    public static async Task<Order?> OrderAsync(AppDb db, Validation v, string field, Guid tenantId, OrderKind kind, Guid? id, CancellationToken ct)
    {
        if (id is null) return null;
        var order = await db.Orders.FirstOrDefaultAsync(o => o.TenantId == tenantId && o.Kind == kind && o.Id == id, ct);
        v.Check(order is not null, field, $"no {kind.ToString().ToLowerInvariant()} {id} exists.");
        return order;
    }

    public static string Currency(Validation v, string field, string? code)
    {
        var text = v.Text(field, code, 3).ToUpperInvariant();
        v.Check(text.Length == 0 || (text.Length == 3 && text.All(char.IsAsciiLetterUpper)), field, "must be a 3-letter ISO 4217 code such as USD.");
        return text;
    }
}
