using System.Net;
using InventorySync.Api.Endpoints;
using InventorySync.Api.Hosting;
using InventorySync.Api;
using InventorySync.Grains;
using InventorySync.Web;
using InventorySync.Xero.Client;
using Orleans.Dashboard;
using Npgsql;
using OpenTelemetry.Metrics;
using InventorySync.Silo.Workers;
using InventorySync.Xero;
using InventorySync.Storage;
using Orleans.Configuration;

namespace InventorySync.Silo;

public static class SiloRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The Orleans Dashboard's hosted service, which NodeStartup starts once the silo runs.</summary>
    public const string DashboardKey = "orleans-dashboard";
    private const string ServiceId = "inventorysync";

    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<NodeStartup>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Outbox:PollInterval must be positive").ValidateOnStart();
        builder.Services.AddHostedService<OutboxWorker>();
        builder.Services.AddHostedService<XeroAppShare>();
        // Data Protection pre-loads its key ring while the host starts, before the migrations have created its table;
        // without the pre-load the ring is read on first use, after the StartupGate has opened.
        HostedServices.Remove(builder.Services, "DataProtectionHostedService");
        builder.UseOrleans(silo =>
        {
            ConfigureSilo(silo, builder.Configuration);
            silo.AddDashboard();
        });
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(XeroMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddNpgsqlInstrumentation()
            // Each scrape reads the meters afresh: Prometheus scrapes seldom, and a cached answer would lag a run.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        // The silo starts once the database is migrated (its tables come with the migrations): NodeStartup starts it,
        // and the dashboard after it (the dashboard's start calls grains; a node whose silo never started, its
        // database unreachable, could not stop while the dashboard waited on them).
        HostedServices.Remove(builder.Services, "SiloHostedService");
        var dashboard = HostedServices.Remove(builder.Services, "DashboardHost");
        builder.Services.AddKeyedSingleton<IHostedService>(DashboardKey, (services, _) => dashboard.ImplementationType
            is { } type
            ? (IHostedService)ActivatorUtilities.CreateInstance(services, type)
            : (IHostedService)dashboard.ImplementationFactory!(services));
        return builder;
    }

    /// <summary>
    /// For operators: <c>/metrics</c> in Prometheus' format (bearer operator key) and the Orleans Dashboard at
    /// <c>/dashboard</c> (the operator key, as a bearer or signed in on the web pages).
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiRegistration.OperatorPolicy);
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(WebRegistration.OperatorPolicy);
        return app;
    }

    private static void ConfigureSilo(ISiloBuilder silo, IConfiguration configuration)
    {
        var node = configuration.GetSection(ClusterNodeOptions.Section).Get<ClusterNodeOptions>()
                   ?? new ClusterNodeOptions();
        var storage = StorageOptions.From(configuration);
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (node.ClusterId, ServiceId));
            var advertised = node.AdvertisedAddress is { Length: > 0 } ip
                ? IPAddress.Parse(ip)
                : Dns.GetHostAddresses(Dns.GetHostName())[0];
            silo.ConfigureEndpoints(advertised, node.SiloPort, node.GatewayPort, listenOnAnyHostAddress: true);
            var database = StorageRegistration.WithPostgresDefaults(storage.Database);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", database));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", database));
            silo.AddAdoNetGrainStorage(GrainsRegistration.GrainStorage,
                o => (o.Invariant, o.ConnectionString) = ("Npgsql", database));
        }
        else
        {
            // One node on one SQLite file (a second is refused): its reminders are re-registered from the schedules at
            // start (ADR 0016).
            silo.UseLocalhostClustering(
                node.SiloPort, node.GatewayPort, serviceId: ServiceId, clusterId: node.ClusterId);
            silo.UseInMemoryReminderService();
            // Orleans names SQLite's invariant "System.Data.SQLite" and opens it with Microsoft.Data.Sqlite.
            silo.AddAdoNetGrainStorage(GrainsRegistration.GrainStorage,
                o => (o.Invariant, o.ConnectionString) = ("System.Data.SQLite", storage.Database));
        }
    }

    /// <summary>
    /// The folder holding appsettings.json: the working directory under <c>dotnet run</c>, else the program's own
    /// folder (<c>dotnet /opt/inventorysync/InventorySync.Silo.dll</c> from anywhere).
    /// </summary>
    public static string? ContentRoot(string[] args, string workingDirectory) =>
        File.Exists(Path.Combine(workingDirectory, "appsettings.json"))
        || args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            ? null
            : AppContext.BaseDirectory;
}
