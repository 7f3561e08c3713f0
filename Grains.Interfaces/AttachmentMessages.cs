namespace InventorySync.Grains;

/// <summary>
/// An attachment export: within a run (<see cref="RunId"/>), or on its own as soon as the attachment was added.
/// <see cref="RetryFailed"/>: a manual run tries exports that failed again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AttachmentExportStart([property: Id(0)] Guid? RunId, [property: Id(1)] bool RetryFailed);
