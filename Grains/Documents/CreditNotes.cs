using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

public sealed class CreditNotes : IDocumentKind<CreditNote, CreditNoteRequest, CreditNoteResponse>
{
    public string Name => "credit note";

    public IQueryable<CreditNote> Query(AppDb db) => db.CreditNotes;

    public async Task ApplyAsync(AppDb db, CreditNote n, CreditNoteRequest r, CancellationToken ct)
    {
        Lifecycle.EnsureEditable(n, Name);
        var v = new Validation();
        var kind = v.Required("kind", r.Kind);
        v.Check(n.Version == 0 || r.Kind is null || kind == n.Kind, "kind", "cannot change once the credit note exists.");
        if (n.Version == 0) n.Kind = kind;
        v.RequiredId("contactId", r.ContactId);
        var contactId = await References.ContactAsync(db, v, "contactId", n.TenantId, n.Kind, r.ContactId, ct);
        if (contactId is not null) n.ContactId = contactId.Value;
        var order = await References.OrderAsync(db, v, "orderId", n.TenantId, n.Kind, r.OrderId, ct);
        v.Check(order is null || contactId is null || order.ContactId == contactId, "orderId",
            "belongs to another contact.");
        n.OrderId = order?.Id;
        n.CreditNoteNumber = v.OptionalText("creditNoteNumber", r.CreditNoteNumber, 255);
        Lifecycle.ApplyCommon(v, n, r.Date, r.CurrencyCode, r.Reference, r.LineAmountTypes, r.Lines, r.SubTotal, r.TotalTax, r.Total);
        v.ThrowIfInvalid();
    }

    public CreditNoteResponse ToResponse(CreditNote n) => new(
        n.Id, n.Kind, n.ContactId, n.OrderId, n.CreditNoteNumber, n.Reference, n.Date, n.CurrencyCode, n.LineAmountTypes, n.Status,
        n.Lines.ToResponse(), n.SubTotal, n.TotalTax, n.Total, n.AmountPaid, n.AmountDue,
        n.Version, n.CreatedAt, n.UpdatedAt, n.Sync.ToInfo());
}
