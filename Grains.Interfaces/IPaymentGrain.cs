namespace InventorySync.Grains;

/// <summary>
/// The sync state of a payment or a refund (key: the payment id; extension: tenant and table, see
/// <c>DocumentGrains</c>).
/// </summary>
public interface IPaymentGrain : IDocumentGrain;
