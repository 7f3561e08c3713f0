namespace InventorySync.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DefaultDatabase = "Data Source=data/inventorysync.db";

    /// <summary>A SQLite "Data Source=..." or a PostgreSQL "Host=..." connection string (INVENTORYSYNC_DATABASE).</summary>
    public string Database { get; set; } = DefaultDatabase;

    public DatabaseProvider Provider =>
        Database.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
}
