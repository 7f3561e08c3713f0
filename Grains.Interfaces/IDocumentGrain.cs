namespace InventorySync.Grains;

/// <summary>
/// One document's sync state machine (S3.9), shared by <see cref="IContactGrain"/>, <see cref="IInvoiceGrain"/> and
/// <see cref="IPaymentGrain"/>. Key: the document id, with the tenant and the document's table as key extension
/// (see <c>DocumentGrains</c>). The grain is the only writer of the document's sync columns; what it writes lives in
/// the document's row, where the API's lists and filters read it.
/// </summary>
public interface IDocumentGrain : IGrainWithGuidCompoundKey
{
    /// <summary>
    /// A run is about to send the version it read: counts the attempt before the send leaves, so that a run resumed
    /// after a crash looks the document up in Xero instead of creating it twice. False: the grain says not to send
    /// (an auto run meeting a document that failed and was not edited since).
    /// </summary>
    Task<bool> SendingAsync(SendStart start);

    /// <summary>
    /// What came of a run's work on the document, written with its sync transaction (Pending when the document was
    /// edited during the send).
    /// </summary>
    Task RecordAsync(SyncOutcome outcome);

    /// <summary>The document was edited to this version (its row says so already): the newer version is pending.
    /// </summary>
    Task EditedAsync(int version);
}
