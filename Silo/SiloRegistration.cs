using InventorySync.Silo.Workers;

namespace InventorySync.Silo;

public static class SiloRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseStartup>();
        return builder;
    }
}
