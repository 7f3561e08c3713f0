using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Documents;

/// <summary>
/// Groups the writes of the document grains on this silo (<see cref="CommitGroups{TWrite,TResult}"/>), so a run's
/// batch of 50 documents costs a few commits, not 50. PostgreSQL takes several groups at once on as many
/// connections; SQLite has one writer, so one group at a time.
/// </summary>
public sealed class SyncStateWriter
{
    /// <summary>Groups committing at once on PostgreSQL: enough to keep its cores busy while each waits on a
    /// trip.</summary>
    private const int PostgresWriters = 4;

    /// <summary>A group's size: large enough for several runs' batches, small enough to keep transactions
    /// short.</summary>
    private const int MaxGroup = 1_000;

    /// <summary>Writes waiting behind a commit before another writer takes them: two runs' batches.</summary>
    private const int HelpAt = 100;

    private sealed record Write(SyncStateChange Change, SyncTransaction? Transaction);

    private readonly IServiceScopeFactory _scopes;
    private readonly CommitGroups<Write, bool> _groups;

    public SyncStateWriter(IServiceScopeFactory scopes, IHostApplicationLifetime host, IOptions<StorageOptions> storage)
    {
        _scopes = scopes;
        var writers = storage.Value.Provider == DatabaseProvider.Postgres ? PostgresWriters : 1;
        _groups = new CommitGroups<Write, bool>(CommitAsync, MaxGroup, writers, host.ApplicationStopping, HelpAt);
    }

    /// <summary>Writes asked for and not yet committed.</summary>
    public int InFlight => _groups.InFlight;

    /// <summary>
    /// Writes the document's sync columns, and its transaction with them; false, with nothing written, when the row
    /// no longer has the expected version.
    /// </summary>
    public Task<bool> WriteAsync(SyncStateChange change, SyncTransaction? transaction) =>
        _groups.WriteAsync(new Write(change, transaction));

    private async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<Write> group, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await using var tx = await db.BeginWriteAsync(ct);
        var written = await SyncStateSql.UpdateAsync(db, group.Select(w => w.Change).ToList(), ct);
        var transactions = group.Where(w => w.Transaction is not null && written.Contains(w.Change.DocumentId))
            .Select(w => w.Transaction!).ToList();
        await SyncStateSql.InsertAsync(db, transactions, ct);
        await tx.CommitAsync(ct);
        return group.Select(w => written.Contains(w.Change.DocumentId)).ToList();
    }
}
