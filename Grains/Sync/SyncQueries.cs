using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>The history of runs and their transactions (S3.10), read from the database, not through grains.</summary>
public sealed class SyncQueries(AppDb db)
{
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
        if (q.DocumentId is { } document) query = query.Where(t => t.DocumentId == document);
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
        // An attachment's transaction is about the invoice it went to.
        _ => $"invoices/{t.DocumentId}",
    };
}
