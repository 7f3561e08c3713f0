using InventorySync.Contracts;

namespace InventorySync.Grains;

/// <summary>A document's version and sync columns as a run read them: what a fresh activation starts from.</summary>
[GenerateSerializer, Immutable]
public sealed record SeenState(
    [property: Id(0)] int Version,
    [property: Id(1)] SyncStatus Status,
    [property: Id(2)] DateTime? PendingSince,
    [property: Id(3)] string? XeroId,
    [property: Id(4)] int? SyncedVersion,
    [property: Id(5)] int Attempts,
    [property: Id(6)] string? LastError,
    [property: Id(7)] Guid? LastRunId);

/// <summary>A run about to send the document at <see cref="SeenState.Version"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SendStart([property: Id(0)] Guid RunId, [property: Id(1)] bool RetryFailed,
    [property: Id(2)] SeenState Seen);

/// <summary>
/// What a run did with a document: sent a version (<see cref="SentVersion"/>, with the id Xero gave it), or left it
/// waiting, failed or skipped with a message. <see cref="Label"/> names it in the sync transactions.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SyncOutcome(
    [property: Id(0)] Guid? RunId,
    [property: Id(1)] SyncEntity Entity,
    [property: Id(2)] string Label,
    [property: Id(3)] SyncAction Action,
    [property: Id(4)] SyncStatus Status,
    [property: Id(5)] string? Message,
    [property: Id(6)] int? SentVersion,
    [property: Id(7)] string? XeroId,
    [property: Id(8)] SeenState Seen);
