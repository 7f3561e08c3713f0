using InventorySync.Contracts;
using InventorySync.Grains.Connections;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Before the first sync with an organisation already in use: what the next manual run would link, create and refuse
/// among contacts, invoices and bills, and the Xero calls it would spend. Only reads reach Xero. Once a run has gone
/// through, runs no longer look up what they create, and neither does the preview.
/// </summary>
public sealed class OnboardingPreviews(AppDb db, XeroConnections connections)
{
    public async Task<OnboardingPreviewResponse> PreviewAsync(Guid tenantId, CancellationToken ct)
    {
        var xero = await connections.OrganisationOfAsync(tenantId, ct);
        var onboarding = await db.XeroConnections.AnyAsync(c => c.TenantId == tenantId && c.OnboardedAt == null, ct);
        var contacts = await Unsent(db.Contacts, tenantId).ToListAsync(ct);
        var (contactMatches, contactCalls) =
            await XeroMatches.ContactsAsync(xero, contacts.Where(c => onboarding || c.Sync.Attempts > 0).ToList(), ct);
        // The tenant's own orders, named as the run names them (ADR 0034).
        var invoices = await Unsent(db.Invoices.Include(i => i.Order), tenantId)
            .Where(i => i.Order!.TenantId == tenantId && i.Status != DocumentStatus.Voided).ToListAsync(ct);
        // A contact linked by the run is in Xero, with the id it was linked to, by the time its invoices go.
        var linked = contactMatches.ToDictionary(m => m.Ours.Id, m => m.Theirs.ContactID!.Value.ToString());
        var wanted = invoices.Select(i => i.Order!.ContactId).Distinct().ToList();
        var named = await db.Contacts.AsNoTracking().Where(c => wanted.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => (c.Name, c.Sync.XeroId ?? linked.GetValueOrDefault(c.Id)), ct);
        var (invoiceMatches, invoiceCalls) = await XeroMatches.InvoicesAsync(
            xero, invoices.Where(i => onboarding || i.Sync.Attempts > 0).ToList(), named, ct);

        var link = contactMatches
            .Select(m => new OnboardingItem(SyncEntity.Contact, m.Ours.Id, m.Ours.Name, linked[m.Ours.Id],
                $"matched by {m.By}"))
            .Concat(invoiceMatches.Where(m => m.Conflict is null)
                .Select(m => Item(m.Ours, m.Theirs.InvoiceID.ToString(), "same number, contact and total")))
            .ToList();
        var refuse = invoiceMatches.Where(m => m.Conflict is not null)
            .Select(m => Item(m.Ours, m.Theirs.InvoiceID.ToString(), m.Conflict)).ToList();
        var newContacts = contacts.Except(contactMatches.Select(m => m.Ours)).ToList();
        var newInvoices = invoices.Except(invoiceMatches.Select(m => m.Ours)).ToList();
        var create = newContacts.Select(c => new OnboardingItem(SyncEntity.Contact, c.Id, c.Name, null, null))
            .Concat(newInvoices.Select(i => Item(i, null, null))).ToList();
        var writes = Batches(newContacts.Count) + newInvoices.GroupBy(i => i.Kind).Sum(g => Batches(g.Count()));
        return new OnboardingPreviewResponse(link, create, refuse,
            new OnboardingCalls(contactCalls + invoiceCalls, writes));
    }

    private static IQueryable<T> Unsent<T>(IQueryable<T> documents, Guid tenantId) where T : TenantDocument =>
        documents.AsNoTracking().Where(d => d.TenantId == tenantId && d.Sync.XeroId == null
            && (d.Sync.Status == SyncStatus.Pending || d.Sync.Status == SyncStatus.Failed)).OrderBy(d => d.Id);

    private static OnboardingItem Item(Invoice i, string? xeroId, string? detail) => new(
        i.Kind == OrderKind.Sale ? SyncEntity.Invoice : SyncEntity.Bill, i.Id,
        i.InvoiceNumber ?? i.Order?.Reference ?? i.Id.ToString(), xeroId, detail);

    /// <summary>Writes of up to 50 elements each, as a run sends them.</summary>
    private static int Batches(int count) => (count + 49) / 50;
}
