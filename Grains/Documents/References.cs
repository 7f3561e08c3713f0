using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>Looks up the documents a request names; a missing one (or another tenant's) is a field error, not a 404.</summary>
internal static class References
{
    public static async Task<Contact?> ContactAsync(AppDb db, Validation v, string field, Guid tenantId, Guid? id, CancellationToken ct)
    {
        if (id is null) return null;
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.TenantId == tenantId && c.Id == id, ct);
        v.Check(contact is not null, field, $"no contact {id} exists.");
        return contact;
    }

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
