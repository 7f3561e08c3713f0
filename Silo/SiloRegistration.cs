using System.Net;
using InventorySync.Api.Endpoints;
using InventorySync.Silo.Workers;
using InventorySync.Xero;
using InventorySync.Storage;
using Orleans.Configuration;

namespace InventorySync.Silo;

public static class SiloRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
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
        RemoveHostedService(builder.Services, "DataProtectionHostedService");
        // Xero sends the user back to the address this node listens on, unless Xero__RedirectUri says otherwise.
        builder.Services.PostConfigure<XeroOptions>(o =>
        {
            if (o.RedirectUri.Length == 0) o.RedirectUri = CallbackUrl(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrl);
        });
        builder.UseOrleans(silo => ConfigureSilo(silo, builder.Configuration));
        // The silo starts once the database is migrated (its tables come with the migrations): NodeStartup starts it.
        RemoveHostedService(builder.Services, "SiloHostedService");
        return builder;
    }

    private static void ConfigureSilo(ISiloBuilder silo, IConfiguration configuration)
    {
        var node = configuration.GetSection(ClusterNodeOptions.Section).Get<ClusterNodeOptions>() ?? new ClusterNodeOptions();
        var storage = StorageOptions.From(configuration);
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (node.ClusterId, ServiceId));
            silo.ConfigureEndpoints(node.AdvertisedAddress is { Length: > 0 } ip ? IPAddress.Parse(ip) : Dns.GetHostAddresses(Dns.GetHostName())[0],
                node.SiloPort, node.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", storage.Database));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", storage.Database));
        }
        else
        {
            // One node on one SQLite file (a second is refused): its reminders are re-registered from the schedules at
            // start (ADR 0016).
            silo.UseLocalhostClustering(node.SiloPort, node.GatewayPort, serviceId: ServiceId, clusterId: node.ClusterId);
            silo.UseInMemoryReminderService();
        }
    }

    /// <summary>The callback on the first address listened on; a wildcard host is this machine.</summary>
    public static string CallbackUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var wildcard = System.Text.RegularExpressions.Regex.Replace(first, @"//(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)", "//127.0.0.1");
        return new Uri(new Uri(wildcard), XeroConnectionApi.CallbackPath).AbsoluteUri;
    }

    /// <summary>
    /// The folder holding appsettings.json: the working directory under <c>dotnet run</c>, else the program's own
    /// folder (<c>dotnet /opt/inventorysync/InventorySync.Silo.dll</c> from anywhere).
    /// </summary>
    public static string? ContentRoot(string[] args, string workingDirectory) =>
        File.Exists(Path.Combine(workingDirectory, "appsettings.json")) || args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            ? null
            : AppContext.BaseDirectory;

    /// <summary>Takes a framework's hosted service out; fails loudly if a new version renamed it.</summary>
    private static void RemoveHostedService(IServiceCollection services, string implementation)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == implementation).ToList();
        if (hosted.Count == 0) throw new InvalidOperationException($"No hosted service {implementation} to take out: check the start-up order.");
        foreach (var descriptor in hosted) services.Remove(descriptor);
    }
}
