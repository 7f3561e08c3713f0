using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InventorySync.Storage;

/// <summary>
/// Lets SQLite itself wait for the write lock. Without it Microsoft.Data.Sqlite retries a busy database in 150 ms
/// sleeps, so a few concurrent writers wait far longer than the lock is held; SQLite's own handler retries within 1 ms.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
