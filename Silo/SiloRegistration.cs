using InventorySync.Silo.Workers;

namespace InventorySync.Silo;

public static class SiloRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseStartup>();
        // Data Protection pre-loads its key ring while the host starts, before the migrations have created its table;
        // without the pre-load the ring is read on first use, after the StartupGate has opened.
        foreach (var preload in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
            builder.Services.Remove(preload);
        return builder;
    }
}
