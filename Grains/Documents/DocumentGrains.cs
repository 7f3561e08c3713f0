using System.Globalization;
using InventorySync.Storage;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

/// <summary>
/// Finds a document's grain: the document id is the key, and the extension names the tenant and the table
/// ("invoices/&lt;tenant id&gt;"), so that a grain reads and writes its own row without asking.
/// </summary>
public sealed class DocumentGrains(IGrainFactory grains)
{
    public IDocumentGrain For(TenantDocument document) =>
        For(TableOf(document)
            ?? throw new ArgumentOutOfRangeException(nameof(document), document.GetType().Name, "is not synced"),
            document.TenantId, document.Id);

    public IDocumentGrain For(DocumentTable table, Guid tenantId, Guid documentId)
    {
        var extension = $"{table}/{tenantId:D}";
        return table switch
        {
            DocumentTable.Contacts => grains.GetGrain<IContactGrain>(documentId, extension),
            DocumentTable.Invoices or DocumentTable.CreditNotes =>
                grains.GetGrain<IInvoiceGrain>(documentId, extension),
            DocumentTable.Payments or DocumentTable.BankTransactions =>
                grains.GetGrain<IPaymentGrain>(documentId, extension),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };
    }

    public IAttachmentGrain Attachment(Guid tenantId, Guid attachmentId) =>
        grains.GetGrain<IAttachmentGrain>(attachmentId, tenantId.ToString("D"));

    /// <summary>Tells the document's grain of a new version, once its row holds it.</summary>
    public Task EditedAsync(TenantDocument document) =>
        TableOf(document) is null ? Task.CompletedTask : For(document).EditedAsync(document.Version);

    public static (DocumentTable Table, Guid TenantId) ParseExtension(string extension)
    {
        var slash = extension.IndexOf('/');
        return (Enum.Parse<DocumentTable>(extension[..slash]),
            Guid.Parse(extension[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>The table of a document that is synced.</summary>
    public static DocumentTable? TableOf(TenantDocument document) => document switch
    {
        Contact => DocumentTable.Contacts,
        Invoice => DocumentTable.Invoices,
        CreditNote => DocumentTable.CreditNotes,
        Payment => DocumentTable.Payments,
        BankTransaction => DocumentTable.BankTransactions,
        _ => null,
    };

    public static SeenState Seen(TenantDocument d) => new(d.Version, d.Sync.Status, d.Sync.PendingSince, d.Sync.XeroId,
        d.Sync.SyncedVersion, d.Sync.Attempts, d.Sync.LastError, d.Sync.LastRunId);
}
