using InventorySync.Contracts;
using InventorySync.Grains;
using InventorySync.Grains.Documents;
using InventorySync.Storage.Entities;

namespace InventorySync.Tests.Documents;

/// <summary>The rules a document grain applies, without the grain or a database.</summary>
public sealed class DocumentSyncTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    private static DocumentSync Pending(int version = 1) => new(version, new SyncState { Status = SyncStatus.Pending });

    private static SyncOutcome Outcome(
        SyncStatus status, int? sentVersion, string? xeroId = null, string? message = null) =>
        new(RunId, SyncEntity.Invoice, "INV-1", SyncAction.Create, status, message, sentVersion, xeroId,
            new SeenState(1, SyncStatus.Pending, null, null, null, 0, null, null));

    [Fact]
    public void A_send_is_counted_before_it_leaves_and_its_success_syncs_the_version_sent()
    {
        var sync = Pending();
        Assert.True(sync.MaySend(retryFailed: false));
        sync.CountAttempt(RunId);
        Assert.Equal((1, RunId), (sync.State.Attempts, sync.State.LastRunId));

        Assert.Equal(SyncStatus.Synced, sync.Record(Outcome(SyncStatus.Synced, 1, "x-1")));
        Assert.Equal((SyncStatus.Synced, 1, "x-1"), (sync.State.Status, sync.State.SyncedVersion, sync.State.XeroId));
    }

    [Fact]
    public void An_edit_during_a_send_leaves_the_newer_version_pending_with_the_xero_id_kept()
    {
        var sync = Pending();
        sync.CountAttempt(RunId);
        sync.Edited(2);

        Assert.Equal(SyncStatus.Pending, sync.Record(Outcome(SyncStatus.Synced, 1, "x-1")));
        Assert.Equal((SyncStatus.Pending, null, "x-1", 2),
            (sync.State.Status, sync.State.SyncedVersion, sync.State.XeroId, sync.Version));
        Assert.Equal(SyncStatus.Pending, sync.Record(Outcome(SyncStatus.Failed, 1, message: "refused")));
        Assert.Equal(SyncStatus.Synced, sync.Record(Outcome(SyncStatus.Synced, 2)));
        Assert.Equal(("x-1", 2), (sync.State.XeroId, sync.State.SyncedVersion));
    }

    [Fact]
    public void A_failed_document_is_retried_by_a_manual_run_and_left_by_an_auto_run_until_it_is_edited()
    {
        var sync = Pending();
        Assert.Equal(SyncStatus.Failed, sync.Record(Outcome(SyncStatus.Failed, 1, message: "Contact is missing")));
        Assert.Equal("Contact is missing", sync.State.LastError);
        Assert.False(sync.MaySend(retryFailed: false));
        Assert.True(sync.MaySend(retryFailed: true));

        sync.Edited(2);
        Assert.True(sync.MaySend(retryFailed: false));
    }

    [Fact]
    public void A_waiting_document_stays_pending_with_the_reason_and_an_older_edit_changes_nothing()
    {
        var sync = Pending(version: 3);
        var waiting = Outcome(SyncStatus.Pending, null, message: "waits for its invoice");
        Assert.Equal(SyncStatus.Pending, sync.Record(waiting));
        Assert.Equal((SyncStatus.Pending, "waits for its invoice"), (sync.State.Status, sync.State.LastError));

        sync.Edited(2);
        Assert.Equal(3, sync.Version);
        var skipped = Outcome(SyncStatus.Skipped, null, message: "voided before it reached Xero");
        Assert.Equal(SyncStatus.Skipped, sync.Record(skipped));
    }
}
