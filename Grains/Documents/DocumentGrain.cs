using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Grains.Documents;

/// <summary>
/// A document's sync state, owned by one activation: the run's sends and outcomes and the API's edits meet here in
/// order. The state is the document row's sync columns; every write is conditional on the version this activation
/// knows, so an edit it was not told of (its silo died before telling) is found, read and applied, never
/// overwritten.
/// </summary>
public abstract class DocumentGrain(SyncStateWriter writer, IServiceScopeFactory scopes, TimeProvider clock)
    : Grain, IDocumentGrain
{
    /// <summary>How often a write meeting a newer version reads the row and tries again before giving up.</summary>
    private const int Attempts = 5;

    private DocumentSync? _sync;
    private (Guid Id, DocumentTable Table, Guid TenantId)? _key;

    /// <summary>The document id, and its table and tenant from the key extension, read once per activation.</summary>
    private (Guid Id, DocumentTable Table, Guid TenantId) Key
    {
        get
        {
            if (_key is { } key) return key;
            var id = this.GetPrimaryKey(out var extension);
            var (table, tenantId) = DocumentGrains.ParseExtension(extension!);
            return (_key = (id, table, tenantId)).Value;
        }
    }

    public async Task<bool> SendingAsync(SendStart start)
    {
        _sync ??= DocumentSync.From(start.Seen);
        if (!_sync.MaySend(start.RetryFailed)) return false;
        await WriteAsync(sync => sync.CountAttempt(start.RunId), transaction: null);
        return true;
    }

    public async Task RecordAsync(SyncOutcome outcome)
    {
        _sync ??= DocumentSync.From(outcome.Seen);
        var recorded = SyncStatus.Pending;
        await WriteAsync(sync => recorded = sync.Record(outcome), () => new SyncTransaction
        {
            RunId = outcome.RunId, TenantId = Key.TenantId, Entity = outcome.Entity, DocumentId = Key.Id,
            DocumentLabel = outcome.Label, Action = outcome.Action, Status = recorded, Message = outcome.Message,
            XeroId = _sync.State.XeroId, At = clock.GetUtcNow().UtcDateTime,
        });
    }

    public Task EditedAsync(int version)
    {
        _sync?.Edited(version);
        return Task.CompletedTask;
    }

    /// <summary>Applies <paramref name="change"/> and writes it; on a newer row, reads that row and applies it
    /// again.</summary>
    private async Task WriteAsync(Action<DocumentSync> change, Func<SyncTransaction>? transaction)
    {
        var (id, table, _) = Key;
        for (var attempt = 1; ; attempt++)
        {
            change(_sync!);
            bool written;
            try
            {
                var state = new SyncStateChange(table, id, _sync!.Version, _sync.State);
                written = await writer.WriteAsync(state, transaction?.Invoke());
            }
            catch
            {
                // What this copy holds was not written: the next call starts again from what was.
                _sync = null;
                throw;
            }
            if (written) return;
            if (attempt == Attempts)
                throw new InvalidOperationException(
                    $"The {table} row {id} kept changing while its sync state was written.");
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var row = await SyncStateSql.ReadAsync(db, table, id, CancellationToken.None)
                      ?? throw new InvalidOperationException($"The {table} row {id} is gone.");
            _sync = new DocumentSync(row.Version, row.Sync);
        }
    }
}
