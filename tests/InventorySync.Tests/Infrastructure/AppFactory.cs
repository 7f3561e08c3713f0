using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Headers;
using InventorySync.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using InventorySync.Contracts;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>
/// A host of ours (a silo, or the API-only front end) through its real HTTP pipeline, on one database, with a clock
/// the test owns.
/// </summary>
public abstract class HostFactory<TEntryPoint>(string connectionString, string? adminKey,
    Action<IWebHostBuilder>? configure,
    FakeTimeProvider? clock) : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public const string AdminKey = "test-operator-key-0123456789";

    public FakeTimeProvider Clock { get; } = clock ?? TestClock.New();

    /// <summary>The host's latest warnings and errors, for a failing test to tell what went wrong inside.</summary>
    public CapturedLogs Warnings { get; } = new(keep: 50);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("INVENTORYSYNC_DATABASE", connectionString);
        builder.UseSetting("INVENTORYSYNC_KEY_ENCRYPTION", TestKeyEncryption.Shared);
        builder.UseSetting("Demo:Enabled", "false");
        if (adminKey is not null) builder.UseSetting("INVENTORYSYNC_ADMIN_KEY", adminKey);
        builder.UseSetting("Orleans:SiloPort",
            Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort",
            Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:AdvertisedAddress", "127.0.0.1");
        builder.ConfigureLogging(logging => logging.AddProvider(Warnings)
            .AddFilter<CapturedLogs>(null, LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            // Our code, grain timers and reminders run on the test's clock; Orleans' own machinery (membership,
            // messaging, activation collection) keeps real time, so that moving the clock never stalls the cluster.
            services.AddSingleton<TimeProvider>(Clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.AddKeyedSingleton<TimeProvider>(Orleans.Reminders.ReminderTimeProviderNames.Reminders, Clock);
        });
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

/// <summary>A silo: the whole product in one host.</summary>
public sealed class AppFactory(string connectionString, string? adminKey = HostFactory<Program>.AdminKey,
    Action<IWebHostBuilder>? configure = null, FakeTimeProvider? clock = null)
    : HostFactory<Program>(connectionString, adminKey, configure, clock);

/// <summary>The API-only front end: an Orleans client of a cluster's silos, hosting no grains.</summary>
public sealed class FrontEndFactory(string connectionString, Action<IWebHostBuilder>? configure, FakeTimeProvider clock)
    : HostFactory<InventorySync.Api.Auth.OperatorKey>(connectionString, HostFactory<Program>.AdminKey, configure,
        clock);

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
    public Emulator Xero { get; private set; } = null!;
    public SandboxState State => Xero.State;
    public Nodes Nodes { get; private set; } = null!;

    protected override async Task StartingAsync(AppFactory app)
    {
        Xero = await Emulator.StartAsync(app.Clock);
        Nodes = new Nodes(app.Clock, Xero);
        Nodes.Add(app);
    }

    protected override void ConfigureHost(IWebHostBuilder builder) => Xero.Serve(builder);

    public Task<Org> ConnectAsync(HttpClient user, Guid tenantId, Org? existing = null, bool onboarding = false) =>
        Xero.ConnectAsync(App, user, tenantId, existing, onboarding);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Xero.DisposeAsync();
    }
}

public sealed class SqliteXeroApp() : XeroApp(DatabaseProvider.Sqlite);

public sealed class PostgresXeroApp() : XeroApp(DatabaseProvider.Postgres);

public sealed class PostgresApp() : AppFixture(DatabaseProvider.Postgres);

/// <summary>The host with Xero served by the emulator and alert e-mails sent to a real SMTP server.</summary>
public abstract class MailingXeroApp(DatabaseProvider provider) : XeroApp(provider)
{
    public SmtpServer Smtp { get; } = new();

    protected override async Task StartingAsync(AppFactory app)
    {
        await Smtp.StartAsync();
        await base.StartingAsync(app);
    }

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        base.ConfigureHost(builder);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:From", "InventorySync <alerts@inventorysync.test>");
        // Over STARTTLS with a login, the way a real relay is set up; the server's self-signed certificate is trusted.
        builder.UseSetting("Smtp:Security", "StartTls");
        builder.UseSetting("Smtp:UserName", Smtp.UserName);
        builder.UseSetting("Smtp:Password", Smtp.Password);
        builder.UseSetting("Smtp:TrustedCertificate", Smtp.CertificatePath);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteMailingXeroApp() : MailingXeroApp(DatabaseProvider.Sqlite);

public sealed class PostgresMailingXeroApp() : MailingXeroApp(DatabaseProvider.Postgres);
