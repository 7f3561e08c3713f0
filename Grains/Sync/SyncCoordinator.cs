using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Each tenant's SyncCoordinator (S3.1, S3.2): starts a run, one at a time. The unique partial index on active runs
/// decides, across every node: a second start while one is queued or running is refused naming that run.
/// </summary>
public sealed class SyncCoordinator(AppDb db, MaintenanceWindows maintenance, Activity.ActivityLog activity, TimeProvider clock)
{
    public async Task<RunStarted> SyncNowAsync(Guid tenantId, string startedBy, CancellationToken ct)
    {
        if (await maintenance.CoveringAsync(clock.GetUtcNow().UtcDateTime, ct) is { } window)
            await RefuseAsync(tenantId, startedBy, new MaintenanceException(window.EndsAt, window.Reason), ct);
        var connected = await db.XeroConnections.AnyAsync(c => c.TenantId == tenantId && c.Status == ConnectionStatus.Connected, ct);
        if (!connected)
            await RefuseAsync(tenantId, startedBy, new ConflictException("The tenant is not connected to Xero (or needs to authorise again); connect it before syncing."), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new Run
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, Trigger = RunTrigger.Manual, StartedBy = startedBy, State = RunState.Queued,
            Cutoff = now, CreatedAt = now,
        };
        db.Runs.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var active = await db.Runs.Where(r => r.TenantId == tenantId && (r.State == RunState.Queued || r.State == RunState.Running))
                .Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
            if (active is { } id) await RefuseAsync(tenantId, startedBy, new RunConflictException(id), ct);
            throw;
        }
        return new RunStarted(run.Id);
    }

    /// <summary>A refused manual sync is an activity entry (S7), then the caller's problem.</summary>
    private async Task RefuseAsync(Guid tenantId, string startedBy, Exception refusal, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        activity.Add(tenantId, ActivityType.SyncRefused, startedBy, $"Manual sync by {startedBy} refused: {refusal.Message}");
        await db.SaveChangesAsync(ct);
        throw refusal;
    }

    public async Task<Paged<RunResponse>> RunsAsync(Guid tenantId, PageRequest page, CancellationToken ct) =>
        await db.Runs.Where(r => r.TenantId == tenantId).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .ToPagedAsync(page, ToResponse, ct);

    public async Task<RunResponse> RunAsync(Guid tenantId, Guid runId, CancellationToken ct) =>
        ToResponse(await db.Runs.FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Id == runId, ct) ?? throw new NotFoundException($"The run {runId}"));

    public async Task<Paged<SyncTransactionResponse>> TransactionsAsync(Guid tenantId, TransactionQuery q, CancellationToken ct)
    {
        var query = db.SyncTransactions.Where(t => t.TenantId == tenantId);
        if (q.Entity is { } entity) query = query.Where(t => t.Entity == entity);
        if (q.Status is { } status) query = query.Where(t => t.Status == status);
        if (q.RunId is { } run) query = query.Where(t => t.RunId == run);
        return await query.OrderByDescending(t => t.Id).ToPagedAsync(new PageRequest(q.Page, q.PageSize), t => ToResponse(tenantId, t), ct);
    }

    public static RunResponse ToResponse(Run r) => new(r.Id, r.Trigger, r.StartedBy, r.State, r.Cutoff, r.CreatedAt, r.StartedAt, r.FinishedAt,
        r.SyncedCount, r.FailedCount, r.SkippedCount, r.PendingCount, r.Message);

    private static SyncTransactionResponse ToResponse(Guid tenantId, SyncTransaction t) =>
        new(t.Id, t.RunId, t.Entity, t.DocumentId, t.DocumentLabel, Link(tenantId, t), t.Action, t.Status, t.Message, t.XeroId, t.At);

    /// <summary>The document's own address in our API, so that the sync page can open it.</summary>
    private static string Link(Guid tenantId, SyncTransaction t) => $"/api/v1/tenants/{tenantId}/" + t.Entity switch
    {
        SyncEntity.Contact => $"contacts/{t.DocumentId}",
        SyncEntity.CreditNote => $"credit-notes/{t.DocumentId}",
        SyncEntity.Payment => $"payments/{t.DocumentId}",
        SyncEntity.Refund => $"refunds/{t.DocumentId}",
        SyncEntity.CustomerCredit => $"customer-credits/{t.DocumentId}",
        SyncEntity.SupplierDeposit => $"supplier-deposits/{t.DocumentId}",
        _ => $"invoices/{t.DocumentId}",
    };
}
