using System.Net.Http.Headers;
using InventorySync.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using InventorySync.Contracts;

namespace InventorySync.Tests.Infrastructure;

/// <summary>The whole host, through its real HTTP pipeline, on one database, with a clock the test owns.</summary>
public sealed class AppFactory(string connectionString, string? adminKey = AppFactory.AdminKey, Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-operator-key-0123456789";

    public ManualClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("INVENTORYSYNC_DATABASE", connectionString);
        builder.UseSetting("Demo:Enabled", "false");
        if (adminKey is not null) builder.UseSetting("INVENTORYSYNC_ADMIN_KEY", adminKey);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        configure?.Invoke(builder);
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
        App = new AppFactory(_database.ConnectionString, configure: ConfigureHost);
        await StartingAsync(App);
        await App.StartAsync();
        Admin = App.ClientWithKey(AppFactory.AdminKey);
    }

    /// <summary>Adds to the host's configuration before it is built.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder) { }

    /// <summary>Runs before the host starts, with its clock.</summary>
    protected virtual Task StartingAsync(AppFactory app) => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed class SqliteApp() : AppFixture(DatabaseProvider.Sqlite);

/// <summary>The host with Xero configured and its Xero calls served by the emulator, on the host's own clock.</summary>
public abstract class XeroApp(DatabaseProvider provider) : AppFixture(provider)
{
    public WebApplication Sandbox { get; private set; } = null!;
    public SandboxState State => Sandbox.Services.GetRequiredService<SandboxState>();
    /// <summary>A browser at the emulator: it does not follow redirects, so the test sees where Xero sends the user.</summary>
    public HttpClient Browser { get; private set; } = null!;

    protected override async Task StartingAsync(AppFactory app)
    {
        Sandbox = SandboxHost.Build([], b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddSingleton<TimeProvider>(app.Clock);
        });
        await Sandbox.StartAsync();
        Browser = Sandbox.GetTestClient();
    }

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Xero:ClientId", SandboxState.ClientId);
        builder.UseSetting("Xero:ClientSecret", SandboxState.ClientSecret);
        builder.UseSetting("Xero:RedirectUri", "http://localhost" + InventorySync.Api.Endpoints.XeroConnectionApi.CallbackPath);
        foreach (var url in new[] { "LoginUrl", "IdentityUrl", "ApiUrl" }) builder.UseSetting($"Xero:{url}", "http://localhost");
        builder.ConfigureTestServices(s => s.ConfigureHttpClientDefaults(h => h.ConfigurePrimaryHttpMessageHandler(() => Sandbox.GetTestServer().CreateHandler())));
    }

    /// <summary>
    /// Connects the tenant to a new organisation through the whole consent: our connect URL, the emulator's consent
    /// page (the user agrees at once) and back to our callback.
    /// </summary>
    public async Task<Org> ConnectAsync(HttpClient user, Guid tenantId)
    {
        var org = State.AddOrganisation($"Org of {tenantId:N}");
        lock (State.Gate)
        {
            State.ConsentTo.Clear();
            State.ConsentTo.Add(org.Id);
        }
        var started = await (await user.PostAsync($"/api/v1/tenants/{tenantId}/xero/connect", null)).ReadAsync<XeroConnectStarted>();
        Assert.DoesNotContain(" ", started.AuthorizeUrl);
        var consent = await Browser.GetAsync(new Uri(started.AuthorizeUrl).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal("/api/v1/xero/callback", back.AbsolutePath);
        var connected = await (await App.CreateClient().GetAsync(back.PathAndQuery)).ReadAsync<XeroConnectionResponse>();
        Assert.Equal((ConnectionStatus.Connected, org.Name, org.Id.ToString()), (connected.Status, connected.OrganisationName, connected.XeroTenantId));
        return org;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

public sealed class SqliteXeroApp() : XeroApp(DatabaseProvider.Sqlite);

public sealed class PostgresXeroApp() : XeroApp(DatabaseProvider.Postgres);

public sealed class PostgresApp() : AppFixture(DatabaseProvider.Postgres);
