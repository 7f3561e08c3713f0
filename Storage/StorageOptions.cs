using Microsoft.Extensions.Configuration;

namespace InventorySync.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DefaultDatabase = "Data Source=data/inventorysync.db";

    /// <summary>A SQLite "Data Source=..." or a PostgreSQL "Host=..." connection string (INVENTORYSYNC_DATABASE).</summary>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>As the host binds them: INVENTORYSYNC_DATABASE wins over the <c>Storage</c> section.</summary>
    public static StorageOptions From(IConfiguration configuration)
    {
        var options = new StorageOptions();
        configuration.GetSection(Section).Bind(options);
        Apply(options, configuration);
        return options;
    }

    public static void Apply(StorageOptions options, IConfiguration configuration)
    {
        if (configuration["INVENTORYSYNC_DATABASE"] is { Length: > 0 } database) options.Database = database;
    }

    public DatabaseProvider Provider =>
        Database.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
}
