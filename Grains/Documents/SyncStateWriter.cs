using System.Threading.Channels;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Documents;

/// <summary>
/// Groups the writes of the document grains on this silo: whatever they ask to write while the previous group
/// commits goes in the next transaction, so a run's batch of 50 documents costs a few commits, not 50. Each write
/// is acknowledged only once committed. PostgreSQL takes several groups at once on as many connections; SQLite has
/// one writer, so one group at a time.
/// </summary>
public sealed class SyncStateWriter(
    IServiceScopeFactory scopes, IHostApplicationLifetime host, IOptions<StorageOptions> storage)
{
    /// <summary>Groups committing at once on PostgreSQL: enough to keep its cores busy while each waits on a
    /// trip.</summary>
    private const int PostgresWriters = 4;

    /// <summary>A group's size: large enough for several runs' batches, small enough to keep transactions
    /// short.</summary>
    private const int MaxGroup = 1_000;

    private sealed record Write(SyncStateChange Change, SyncTransaction? Transaction)
    {
        public TaskCompletionSource<bool> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>();
    private readonly Lock _starting = new();
    private Task? _loop;

    /// <summary>
    /// Writes the document's sync columns, and its transaction with them; false, with nothing written, when the row
    /// no longer has the expected version.
    /// </summary>
    public Task<bool> WriteAsync(SyncStateChange change, SyncTransaction? transaction)
    {
        if (_loop is null)
            lock (_starting)
            {
                var writers = storage.Value.Provider == DatabaseProvider.Postgres ? PostgresWriters : 1;
                _loop ??= Task.WhenAll(Enumerable.Range(0, writers)
                    .Select(_ => Task.Run(() => LoopAsync(host.ApplicationStopping))));
            }
        var write = new Write(change, transaction);
        if (!_writes.Writer.TryWrite(write)) throw new InvalidOperationException("The sync state writer has stopped.");
        return write.Written.Task;
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var group = new List<Write>();
        try
        {
            while (await _writes.Reader.WaitToReadAsync(stopping))
            {
                while (group.Count < MaxGroup && _writes.Reader.TryRead(out var write)) group.Add(write);
                try
                {
                    var written = await CommitAsync(group, stopping);
                    foreach (var w in group) w.Written.TrySetResult(written.Contains(w.Change.DocumentId));
                }
                catch (Exception e)
                {
                    foreach (var w in group) w.Written.TrySetException(e);
                }
                group.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _writes.Writer.TryComplete();
            while (_writes.Reader.TryRead(out var write)) group.Add(write);
            foreach (var w in group) w.Written.TrySetCanceled(stopping);
        }
    }

    private async Task<HashSet<Guid>> CommitAsync(List<Write> group, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await using var tx = await db.BeginWriteAsync(ct);
        var written = await SyncStateSql.UpdateAsync(db, group.Select(w => w.Change).ToList(), ct);
        var transactions = group.Where(w => w.Transaction is not null && written.Contains(w.Change.DocumentId))
            .Select(w => w.Transaction!).ToList();
        await SyncStateSql.InsertAsync(db, transactions, ct);
        await tx.CommitAsync(ct);
        return written;
    }
}
