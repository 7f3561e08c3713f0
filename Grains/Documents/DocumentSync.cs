using InventorySync.Contracts;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Documents;

/// <summary>
/// The rules of one document's sync state (S3.9), apart from where they are stored: an edit during a send leaves the
/// newer version pending; a failed document is retried by a manual run and left by an auto run until it is edited;
/// a send is counted before it leaves.
/// </summary>
public sealed class DocumentSync(int version, SyncState state)
{
    public int Version { get; private set; } = version;
    public SyncState State { get; } = state;

    public static DocumentSync From(SeenState s) => new(s.Version, new SyncState
    {
        Status = s.Status, PendingSince = s.PendingSince, XeroId = s.XeroId, SyncedVersion = s.SyncedVersion,
        Attempts = s.Attempts, LastError = s.LastError, LastRunId = s.LastRunId,
    });

    public bool MaySend(bool retryFailed) =>
        State.Status == SyncStatus.Pending || (retryFailed && State.Status == SyncStatus.Failed);

    public void CountAttempt(Guid runId)
    {
        State.Attempts++;
        State.LastRunId = runId;
    }

    /// <summary>Applies a run's outcome; answers the status recorded.</summary>
    public SyncStatus Record(SyncOutcome o)
    {
        State.XeroId = o.XeroId ?? State.XeroId;
        State.LastRunId = o.RunId ?? State.LastRunId;
        var editedSince = o.SentVersion is { } sent && sent != Version;
        switch (o.Status)
        {
            case SyncStatus.Synced when !editedSince:
                (State.Status, State.SyncedVersion, State.LastError) = (SyncStatus.Synced, o.SentVersion, null);
                return SyncStatus.Synced;
            case SyncStatus.Failed when !editedSince:
            case SyncStatus.Skipped:
                (State.Status, State.LastError) = (o.Status, o.Message);
                return o.Status;
            default:
                // Waiting, or a send overtaken by an edit: the version the document has now is still to go.
                (State.Status, State.LastError) = (SyncStatus.Pending, o.Message);
                return SyncStatus.Pending;
        }
    }

    /// <summary>The row already holds the new version, pending; this copy catches up.</summary>
    public void Edited(int version)
    {
        if (version <= Version) return;
        Version = version;
        State.Status = SyncStatus.Pending;
    }
}
