using InventorySync.Api.Auth;
using InventorySync.Storage;
using InventorySync.Storage.KeyRing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace InventorySync.Api.Hosting;

/// <summary>
/// The API without grains: an Orleans client of the silos' cluster on the same PostgreSQL database, for operators
/// who scale HTTP apart from silos (<c>dotnet run --project Api</c>). Queries read the database; everything that
/// starts or coordinates work goes to the cluster's grains.
/// </summary>
public static partial class FrontEnd
{
    /// <summary>Beside a silo on the same machine (5080) by default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5070";

    /// <summary>How long to wait before asking the cluster again while no silo answers.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    public static IHostApplicationBuilder AddFrontEnd(this IHostApplicationBuilder builder)
    {
        var storage = StorageOptions.From(builder.Configuration);
        if (storage.Provider != DatabaseProvider.Postgres)
            throw new InvalidOperationException("The API-only front end joins a cluster of silos on PostgreSQL: "
                                                + "set INVENTORYSYNC_DATABASE=Host=... (the silos' database).");
        // The key ring's table comes with the silos' migrations: read it on first use, once the cluster answers.
        HostedServices.Remove(builder.Services, "DataProtectionHostedService");
        builder.UseOrleansClient(client =>
        {
            var clusterId = builder.Configuration["Orleans:ClusterId"] is { Length: > 0 } id ? id : "inventorysync";
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "inventorysync"));
            var database = StorageRegistration.WithPostgresDefaults(storage.Database);
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", database));
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(Retry, ct);
                return !ct.IsCancellationRequested;
            });
        });
        // Registered after the client, so it starts once the client has reached a silo (which migrated the database).
        builder.Services.AddHostedService<FrontEndStartup>();
        return builder;
    }

    private sealed partial class FrontEndStartup(
        IServiceScopeFactory scopes, OperatorKey operatorKey, StartupGate gate, ILogger<FrontEndStartup> log)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KeyRingGuard>().EnsureProtectedAsync(cancellationToken);
            await operatorKey.InitializeAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), cancellationToken);
            gate.Open();
            LogReady();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
            Message = "Connected to the cluster; serving the API")]
        private partial void LogReady();
    }
}
