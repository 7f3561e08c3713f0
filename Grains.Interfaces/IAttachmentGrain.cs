namespace InventorySync.Grains;

/// <summary>
/// One attachment of a sale or purchase (key: the attachment id, with the tenant id as key extension) and its export
/// to each authorised, synced invoice or bill of that order (S4). One activation in the cluster, so that the run and
/// the attachment's own "export it now" never send it twice to one invoice.
/// </summary>
public interface IAttachmentGrain : IGrainWithGuidCompoundKey
{
    /// <summary>
    /// Exports the attachment to every invoice of its order that should have it and does not yet: skipped with the
    /// reason when Xero would not take it, failed with Xero's when Xero refused it. Nothing when the tenant does not
    /// export attachments.
    /// </summary>
    Task ExportAsync(AttachmentExportStart start);
}
