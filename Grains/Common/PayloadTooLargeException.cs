namespace InventorySync.Grains.Common;

/// <summary>The request body is larger than this endpoint takes (413).</summary>
public sealed class PayloadTooLargeException(string message) : Exception(message);
