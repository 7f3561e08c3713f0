using System.Data.Common;
using System.Net;
using InventorySync.Api.Auth;
using InventorySync.Storage;
using InventorySync.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InventorySync.Tests.Storage;

public abstract class StorageTests(DatabaseProvider provider)
{
    [Fact]
    public async Task Nodes_starting_at_once_apply_each_migration_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => MigrateAsync(database))));
        await MigrateAsync(database);

        await using var db = NewDb(database);
        var applied = await db.Database.SqlQueryRaw<int>("SELECT version AS \"Value\" FROM schema_migrations").ToListAsync();
        Assert.Equal(DatabaseMigrator.Scripts(provider).Select(s => s.Version), applied.Order());
    }

    [Fact]
    public async Task The_migrated_schema_has_every_table_and_column_of_the_model_and_no_other()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await MigrateAsync(database);
        await using var db = NewDb(database);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();

        var tables = db.Model.GetEntityTypes().GroupBy(e => e.GetTableName()!);
        foreach (var table in tables)
        {
            var expected = table.SelectMany(e => e.GetProperties().Select(p => p.GetColumnName())
                    .Concat(e.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties().Select(p => p.GetColumnName()))))
                .Distinct().Order().ToList();
            Assert.Equal(expected, await ColumnsAsync(connection, table.Key));
        }
    }

    [Fact]
    public async Task Data_and_the_generated_operator_key_survive_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        Guid tenantId;
        await using (var first = new AppFactory(database.ConnectionString, adminKey: null))
        {
            await first.StartAsync();
            tenantId = await first.WithDbAsync(async db =>
            {
                var tenant = new InventorySync.Storage.Entities.Tenant { Id = Guid.NewGuid(), Name = "Persisted",
                    TimeZone = "UTC" };
                db.Tenants.Add(tenant);
                await db.SaveChangesAsync();
                return tenant.Id;
            });
        }

        await using (var second = new AppFactory(database.ConnectionString, adminKey: null))
        {
            await second.StartAsync();
            var keys = await second.WithDbAsync(db => db.OperatorKeys.Select(k => k.KeyHash).ToListAsync());
            Assert.True(second.Service<OperatorKey>().Matches(Assert.Single(keys)));
            Assert.Equal("Persisted",
                await second.WithDbAsync(db => db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleAsync()));
        }

        await using var withKey = new AppFactory(database.ConnectionString);
        await withKey.StartAsync();
        var tenants = await withKey.ClientWithKey(AppFactory.AdminKey).GetAsync($"/api/v1/tenants/{tenantId}");
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withKey.CreateClient().GetAsync("/readyz")).StatusCode);
    }

    private static async Task<List<string>> ColumnsAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE 1 = 0";
        await using var reader = await command.ExecuteReaderAsync();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Order().ToList();
    }

    internal static AppDb NewDb(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<AppDb>();
        StorageRegistration.Configure(options, new StorageOptions { Database = database.ConnectionString });
        return new AppDb(options.Options);
    }

    private static async Task MigrateAsync(TestDatabase database)
    {
        await using var db = NewDb(database);
        var migrator = new DatabaseMigrator(db,
            Options.Create(new StorageOptions { Database = database.ConnectionString }),
            TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
    }
}

public sealed class StorageTests_Sqlite() : StorageTests(DatabaseProvider.Sqlite);

public sealed class StorageTests_Postgres() : StorageTests(DatabaseProvider.Postgres);

public sealed class SqliteSingleNodeTests
{
    [Fact]
    public async Task A_second_node_on_the_same_SQLite_file_is_refused_at_start_and_says_why()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var first = new AppFactory(database.ConnectionString);
        await first.StartAsync();

        await using var second = new AppFactory(database.ConnectionString);
        var refused = Assert.ThrowsAny<Exception>(() => second.Services);

        Assert.Contains("Another InventorySync node is already running on the SQLite database", refused.ToString());
        Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Its_auto_sync_schedule_survives_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var clock = TestClock.New();
        Guid tenantId;
        DateTime first;
        await using (var before = new AppFactory(database.ConnectionString, clock: clock))
        {
            await before.StartAsync();
            var admin = before.ClientWithKey(AppFactory.AdminKey);
            tenantId = (await (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Restart Trading",
                timeZone = "Europe/London" }))
                .ReadAsync<Contracts.TenantResponse>(HttpStatusCode.Created)).Id;
            first = await ApiTest.EveryMinuteAsync(admin, tenantId, clock);
        }

        // The reminders of a single node live in memory: the restarted node registers them again from the schedules.
        await using var after = new AppFactory(database.ConnectionString, clock: clock);
        await after.StartAsync();
        clock.Advance(first - clock.GetUtcNow().UtcDateTime);
        for (var spins = 0; !await after.WithDbAsync(db => db.Activity.AnyAsync(a => a.TenantId == tenantId && a.Type == "SlotSkipped")); spins++)
        {
            Assert.True(spins < 20_000, "the slot after the restart never fired");
            if (spins % 50 == 49) clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }
        // The tenant never connected to Xero: its slot fired and said why it started nothing.
        var slot = await after.WithDbAsync(db => db.Activity.SingleAsync(a => a.TenantId == tenantId && a.Type == "SlotSkipped"));
        Assert.Contains("not connected to Xero", slot.Summary);
    }
}

public sealed class ReadinessTests
{
    [Fact]
    public async Task Until_the_database_is_reached_the_host_is_alive_but_not_ready_and_the_API_asks_to_retry()
    {
        await using var app = new AppFactory("Host=127.0.0.1;Port=1;Username=nobody;Timeout=1");
        var client = app.ClientWithKey(AppFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await (await client.GetAsync("/readyz")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        var api = await client.GetAsync("/api/v1/tenants");
        Assert.Equal("1", api.Headers.RetryAfter?.ToString());
        await api.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.False(app.Service<StartupGate>().IsReady);
    }
}
