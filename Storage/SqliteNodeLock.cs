using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventorySync.Storage;

/// <summary>
/// A SQLite file serves one node: a second node on the same file would be a second single-silo cluster with its own
/// coordinators, so it is refused at start. The lock is an exclusive lock on a file beside the database, which the
/// operating system releases when the process ends, however it ends.
/// </summary>
public sealed class SqliteNodeLock(IOptions<StorageOptions> storage) : IHostedService
{
    private FileStream? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.Provider != DatabaseProvider.Sqlite) return Task.CompletedTask;
        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.Value.Database).DataSource);
        var path = database + ".node-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another InventorySync node is already running on the SQLite database {database}. A SQLite "
                + "database serves one node; to run several nodes, give them one PostgreSQL database "
                + "(INVENTORYSYNC_DATABASE=Host=...).",
                e);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _lock?.Dispose();
        _lock = null;
        return Task.CompletedTask;
    }
}
