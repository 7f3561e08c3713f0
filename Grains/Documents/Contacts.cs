using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

public sealed class Contacts : IDocumentKind<Contact, ContactRequest, ContactResponse>
{
    public string Name => "contact";

    public IQueryable<Contact> Query(AppDb db) => db.Contacts;

    public async Task ApplyAsync(AppDb db, Contact c, ContactRequest r, CancellationToken ct)
    {
        var v = new Validation();
        var name = v.Text("name", r.Name, 255);
        c.Email = v.Email("email", r.Email);
        c.IsCustomer = r.IsCustomer ?? c.IsCustomer;
        c.IsSupplier = r.IsSupplier ?? c.IsSupplier;
        v.Check(c.IsCustomer || c.IsSupplier, "isCustomer", "a contact must be a customer, a supplier or both (isCustomer, isSupplier).");
        c.TaxNumber = v.OptionalText("taxNumber", r.TaxNumber, 50);
        c.AccountNumber = v.OptionalText("accountNumber", r.AccountNumber, 50);
        c.Phone = v.OptionalText("phone", r.Phone, 50);
        // Xero refuses two contacts with one name, so we refuse it first, where the user can fix it.
        var lower = name.ToLowerInvariant();
        var taken = name.Length > 0 && await db.Contacts.AnyAsync(x => x.TenantId == c.TenantId && x.Id != c.Id && x.Name.ToLower() == lower, ct);
        v.Check(!taken, "name", $"another contact is already named '{name}'; Xero needs contact names to be unique.");
        v.ThrowIfInvalid();
        c.Name = name;
    }

    public ContactResponse ToResponse(Contact c) => new(
        c.Id, c.Name, c.Email, c.IsCustomer, c.IsSupplier, c.TaxNumber, c.AccountNumber, c.Phone,
        c.Version, c.CreatedAt, c.UpdatedAt, c.Sync.ToInfo());
}
