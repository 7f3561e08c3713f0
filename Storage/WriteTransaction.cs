using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Storage;

namespace InventorySync.Storage;

/// <summary>
/// SQLite lets one writer in at a time, and a writer that finds the file locked sleeps before it retries, so
/// concurrent writers wait far longer than the lock is held. Queuing them in memory first hands the lock straight
/// on. SQLite's own lock stays the guarantee: this is only an optimisation, and PostgreSQL needs none.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string connectionString) => Gates.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1));
}

/// <summary>An explicit transaction for writes; disposing it without <see cref="CommitAsync"/> rolls back.</summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private SemaphoreSlim? _gate;

    internal WriteTransaction(IDbContextTransaction transaction, SemaphoreSlim? gate)
    {
        _transaction = transaction;
        _gate = gate;
    }

    public Task CommitAsync(CancellationToken ct) => _transaction.CommitAsync(ct);

    public Task RollbackAsync(CancellationToken ct) => _transaction.RollbackAsync(ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
        }
        finally
        {
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}
