using InventorySync.XeroSandbox.Api;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Hosting;

namespace InventorySync.XeroSandbox;

/// <summary>Builds the emulator, either as its own process or inside a test or the Silo's demo.</summary>
public static class SandboxHost
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxState>();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapIdentityApi();
        app.MapAccountingApi();
        app.MapControlApi();
        return app;
    }
}
