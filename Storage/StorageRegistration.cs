using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
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
            .Validate(o => o.Provider == DatabaseProvider.Postgres || new SqliteConnectionStringBuilder(o.Database).DataSource.Length > 0,
                "INVENTORYSYNC_DATABASE must be a SQLite 'Data Source=...' or a PostgreSQL 'Host=...' connection string")
            .ValidateOnStart();

        builder.Services.TryAddTimeProvider();
        builder.Services.AddSingleton<StartupGate>();
        builder.Services.AddHostedService<SqliteNodeLock>();
        builder.Services.AddScoped<DatabaseMigrator>();
        builder.Services.AddSingleton<GroupedInserts>();
        builder.Services.AddDbContextPool<AppDb>((sp, options) => Configure(options, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddSingleton<DataProtectionKeyRing>();
        builder.Services.AddDataProtection().SetApplicationName("InventorySync");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyRing>((o, ring) => o.XmlRepository = ring);
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, StorageOptions storage)
    {
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(storage.Database);
            return;
        }
        var sqlite = new SqliteConnectionStringBuilder(storage.Database) { DefaultTimeout = 30 };
        if (Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        options.UseSqlite(sqlite.ToString()).AddInterceptors(new SqliteBusyTimeout());
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }
}
