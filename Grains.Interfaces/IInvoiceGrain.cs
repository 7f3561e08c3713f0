namespace InventorySync.Grains;

/// <summary>
/// The sync state of a sale invoice, a purchase bill or a credit note (key: the document id; extension: tenant and
/// table, see <c>DocumentGrains</c>).
/// </summary>
public interface IInvoiceGrain : IDocumentGrain;
