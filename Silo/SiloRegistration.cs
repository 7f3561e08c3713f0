using InventorySync.Silo.Workers;

namespace InventorySync.Silo;

public static class SiloRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static IHostApplicationBuilder AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddOptions<RunExecutorOptions>().BindConfiguration(RunExecutorOptions.Section)
            .Validate(o => o.MaxConcurrentRuns > 0 && o.PollInterval > TimeSpan.Zero, "Runs:MaxConcurrentRuns and Runs:PollInterval must be positive").ValidateOnStart();
        builder.Services.AddHostedService<RunExecutor>();
        builder.Services.AddHostedService<ScheduleWorker>();
        builder.Services.AddHostedService<OutboxWorker>();
        // Data Protection pre-loads its key ring while the host starts, before the migrations have created its table;
        // without the pre-load the ring is read on first use, after the StartupGate has opened.
        foreach (var preload in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
            builder.Services.Remove(preload);
        return builder;
    }
}
