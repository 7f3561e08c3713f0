namespace InventorySync.Grains;

/// <summary>
/// A contact's sync state (key: the contact id; extension: tenant and table, see <c>DocumentGrains</c>).
/// </summary>
public interface IContactGrain : IDocumentGrain;
