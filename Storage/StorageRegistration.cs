using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using InventorySync.Storage.KeyRing;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InventorySync.Storage;

public static class StorageRegistration
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Configure<IConfiguration>(StorageOptions.Apply)
            .Validate(o => o.Provider == DatabaseProvider.Postgres
                           || new SqliteConnectionStringBuilder(o.Database).DataSource.Length > 0,
                "INVENTORYSYNC_DATABASE must be a SQLite 'Data Source=...' or a PostgreSQL 'Host=...' connection "
                + "string")
            .ValidateOnStart();

        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton<StartupGate>();
        builder.Services.AddHostedService<SqliteNodeLock>();
        builder.Services.AddScoped<DatabaseMigrator>();
        builder.Services.AddSingleton<GroupedInserts>();
        builder.Services.AddDbContextPool<AppDb>((sp, options) => Configure(options,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.AddKeyRing();
        return builder;
    }

    /// <summary>Data Protection's key ring in the database, each key encrypted with the key-encryption certificate.
    /// </summary>
    private static void AddKeyRing(this IHostApplicationBuilder builder)
    {
        var encryption = KeyEncryption.Load(builder.Configuration);
        builder.Services.AddSingleton(encryption);
        builder.Services.AddScoped<KeyRingGuard>();
        var protection = builder.Services.AddDataProtection().SetApplicationName(KeyRingGuard.ApplicationName)
            .PersistKeysToDbContext<AppDb>().ProtectKeysWithCertificate(encryption.Certificate);
        if (encryption.Previous is { } previous) protection.UnprotectKeysWithAnyCertificate(previous);
    }

    public static void Configure(DbContextOptionsBuilder options, StorageOptions storage)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(WithPostgresDefaults(storage.Database));
            return;
        }
        var sqlite = new SqliteConnectionStringBuilder(storage.Database) { DefaultTimeout = 30 };
        if (Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        options.UseSqlite(sqlite.ToString()).AddInterceptors(new SqliteBusyTimeout());
    }

    /// <summary>Statements prepared on each connection after a few uses, unless the connection string says
    /// otherwise.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// PostgreSQL defaults for a service that writes the same few statements thousands of times, each kept when the
    /// connection string sets it: statements prepared once per connection (<c>Max Auto Prepare</c>), so PostgreSQL
    /// parses and plans them once; no session reset when a connection goes back to the pool (<c>No Reset On
    /// Close</c>), since nothing here leaves session state behind: the reset cost seven statements per use; and no
    /// GSS session encryption (<c>Gss Encryption Mode</c>): Npgsql tries it first on every new connection, which needs
    /// the Kerberos library .NET's container images leave out (each attempt then prints an error, then falls back).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        if (!given.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!given.Contains("GssEncryptionMode")) builder.GssEncryptionMode = GssEncryptionMode.Disable;
        return builder.ConnectionString;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }
}
