using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace InventorySync.Storage;

/// <summary>
/// Lets SQLite itself wait for the write lock. Without it Microsoft.Data.Sqlite retries a busy database in 150 ms
/// sleeps, so a few concurrent writers wait far longer than the lock is held; SQLite's own handler retries within 1 ms.
/// The setting belongs to the native connection, which the pool keeps open, so it is made once per native connection
/// rather than on each of the several opens a request makes.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    private static readonly ConditionalWeakTable<sqlite3, object> Applied = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        if (Applied.TryGetValue(handle, out _)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
        Applied.TryAdd(handle, Pragma);
    }
}
