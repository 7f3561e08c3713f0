namespace InventorySync.Grains;

/// <summary>
/// Each tenant's SyncCoordinator (key: the tenant id), the only place a run starts: "sync now", the auto-sync
/// schedule's reminder and the resumption of a run whose silo died. One activation in the cluster, so one run at a
/// time per tenant; the database's unique active-run index stays as the last guard.
/// </summary>
public interface ISyncCoordinatorGrain : IGrainWithGuidKey
{
    /// <summary>Starts a manual run and answers at once with its id; refused while a run is active or in
    /// maintenance.</summary>
    Task<Guid> SyncNowAsync(string startedBy);

    /// <summary>
    /// Registers, moves or removes the auto-sync reminder to match the tenant's schedule, and the payments pull's to
    /// match its connection and payment setting (after a change, or at start where reminders are not durable). It
    /// also goes on with a run left active.
    /// </summary>
    Task FollowScheduleAsync();

    /// <summary>
    /// Pulls the payments changed in Xero since the last pull (S5.3), when the tenant's setting pulls; answers how
    /// many payments were imported or found deleted.
    /// </summary>
    Task<int> PullPaymentsAsync();

    /// <summary>
    /// Exports an attachment just added to an order whose invoice is in Xero, at once and from this grain's silo, so
    /// that its calls count against the organisation's limits together with the run's; answers at once.
    /// </summary>
    Task ExportAttachmentAsync(Guid attachmentId);

    /// <summary>
    /// What remains of the organisation's day budget as this grain's silo knows it (the silo of the tenant's runs),
    /// and, when a report of <see cref="ReconciliationStart.EstimatedCalls"/> fits in it less the reserve kept for
    /// syncs, starts the report there (unless a dry run). The report's row is written before it starts.
    /// </summary>
    Task<ReconciliationBudget> ReconcileAsync(ReconciliationStart start);
}
