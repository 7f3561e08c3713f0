using InventorySync.Contracts;
using InventorySync.Grains.Common;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Documents;

/// <summary>How one kind of document is read, validated and shown; <see cref="DocumentService{TEntity,TRequest,TResponse}"/> does the rest.</summary>
public interface IDocumentKind<TEntity, in TRequest, out TResponse> where TEntity : TenantDocument
{
    /// <summary>Singular, for messages: "contact", "payment".</summary>
    string Name { get; }

    IQueryable<TEntity> Query(AppDb db);

    /// <summary>Validates the request and writes it onto the document; throws <see cref="RequestValidationException"/> naming each bad field.</summary>
    Task ApplyAsync(AppDb db, TEntity document, TRequest request, CancellationToken ct);

    TResponse ToResponse(TEntity document);
}

/// <summary>Create, update, get and list for any kind of document, always within one tenant.</summary>
public sealed class DocumentService<TEntity, TRequest, TResponse>(
    AppDb db, TimeProvider clock, IDocumentKind<TEntity, TRequest, TResponse> kind, DocumentGrains grains)
    where TEntity : TenantDocument, new()
{
    public async Task<TResponse> CreateAsync(Guid tenantId, TRequest request, CancellationToken ct)
    {
        RequireBody(request);
        var document = new TEntity { Id = Guid.CreateVersion7(), TenantId = tenantId };
        await kind.ApplyAsync(db, document, request, ct);
        document.MarkChanged(clock.GetUtcNow().UtcDateTime);
        db.Add(document);
        await db.SaveChangesAsync(ct);
        return kind.ToResponse(document);
    }

    public async Task<TResponse> UpdateAsync(Guid tenantId, Guid id, TRequest request, CancellationToken ct)
    {
        RequireBody(request);
        var document = await FindAsync(tenantId, id, ct);
        await kind.ApplyAsync(db, document, request, ct);
        return await SaveChangedAsync(document, ct);
    }

    /// <summary>A state change such as authorise or void: the document is changed, so it becomes pending again.</summary>
    public async Task<TResponse> ChangeAsync(Guid tenantId, Guid id, Action<TEntity, string> change, CancellationToken ct)
    {
        var document = await FindAsync(tenantId, id, ct);
        change(document, kind.Name);
        return await SaveChangedAsync(document, ct);
    }

    /// <summary>The new version is committed, then its grain is told (its writes would find the version anyway).</summary>
    private async Task<TResponse> SaveChangedAsync(TEntity document, CancellationToken ct)
    {
        document.MarkChanged(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await grains.EditedAsync(document);
        return kind.ToResponse(document);
    }

    public async Task<TResponse> GetAsync(Guid tenantId, Guid id, CancellationToken ct) => kind.ToResponse(await FindAsync(tenantId, id, ct));

    public Task<Paged<TResponse>> ListAsync(Guid tenantId, PageRequest page, CancellationToken ct) =>
        kind.Query(db).Where(d => d.TenantId == tenantId).OrderBy(d => d.Id).ToPagedAsync(page, kind.ToResponse, ct);

    private static void RequireBody(TRequest request)
    {
        if (request is null) throw RequestValidationException.For("body", "a JSON object is required.");
    }

    private async Task<TEntity> FindAsync(Guid tenantId, Guid id, CancellationToken ct) =>
        await kind.Query(db).FirstOrDefaultAsync(d => d.TenantId == tenantId && d.Id == id, ct)
        ?? throw new NotFoundException($"The {kind.Name} {id}");
}

public static class SyncInfoMapping
{
    public static SyncInfo ToInfo(this SyncState s) =>
        new(s.Status, s.PendingSince, s.XeroId, s.SyncedVersion, s.Attempts, s.LastError, s.LastRunId);
}
