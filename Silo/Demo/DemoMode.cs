using InventorySync.Silo.Workers;
using InventorySync.XeroSandbox;

namespace InventorySync.Silo.Demo;

/// <summary>
/// Without a Xero app configured, one process is a whole demo: the emulator runs beside the API, the Xero client
/// points at it, and a demo tenant is seeded once.
/// </summary>
public static class DemoMode
{
    /// <summary>Where the emulator listens in demo mode (<c>Demo__SandboxUrl</c>).</summary>
    public static string SandboxUrl(IConfiguration config) =>
        config["Demo:SandboxUrl"] is { Length: > 0 } url ? url : SandboxHost.DefaultUrl;

    public static bool IsOn(IConfiguration config) =>
        string.IsNullOrEmpty(config["Xero:ClientId"]) && !string.Equals(config["Demo:Enabled"], "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the emulator and points the Xero client at it; the seeding waits for the silo.</summary>
    public static async Task<WebApplication> StartAsync(WebApplicationBuilder builder)
    {
        var sandboxUrl = SandboxUrl(builder.Configuration);
        var sandbox = SandboxHost.Build(["--urls", sandboxUrl], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await sandbox.StartAsync();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Xero:ClientId"] = XeroSandbox.State.SandboxState.ClientId,
            ["Xero:ClientSecret"] = XeroSandbox.State.SandboxState.ClientSecret,
            ["Xero:LoginUrl"] = sandboxUrl, ["Xero:IdentityUrl"] = sandboxUrl, ["Xero:ApiUrl"] = sandboxUrl,
        });
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddHttpClient(DemoSeeder.Browser)
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<IBeforeServing, Seeding>();
        return sandbox;
    }

    /// <summary>Seeds the demo tenant, or connects it again after a restart, before the node serves.</summary>
    private sealed class Seeding(IServiceScopeFactory scopes, IConfiguration config, ILogger<Seeding> log)
        : IBeforeServing
    {
        public async Task RunAsync(CancellationToken stoppingToken)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
                    .SeedAsync(new Uri(SandboxUrl(config)), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Seeding the demo tenant failed");
            }
        }
    }
}
