using System.Net.Http.Headers;
using InventorySync.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Tests.Infrastructure;

/// <summary>The whole host, through its real HTTP pipeline, on one database, with a clock the test owns.</summary>
public sealed class AppFactory(string connectionString, string? adminKey = AppFactory.AdminKey) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-operator-key-0123456789";

    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("INVENTORYSYNC_DATABASE", connectionString);
        if (adminKey is not null) builder.UseSetting("INVENTORYSYNC_ADMIN_KEY", adminKey);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task StartAsync() => await Service<StartupGate>().Ready.WaitAsync(TimeSpan.FromSeconds(60));

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<AppDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDb>());
    }
}

/// <summary>One database and one running host per test class, for each provider.</summary>
public abstract class AppFixture(DatabaseProvider provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public AppFactory App { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public DatabaseProvider Provider => provider;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        App = new AppFactory(_database.ConnectionString);
        await App.StartAsync();
        Admin = App.ClientWithKey(AppFactory.AdminKey);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class SqliteApp() : AppFixture(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : AppFixture(DatabaseProvider.Postgres);
