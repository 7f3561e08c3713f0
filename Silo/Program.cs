using InventorySync.Api;
using InventorySync.Api.Hosting;
using InventorySync.Grains;
using InventorySync.Silo;
using InventorySync.Storage;
using InventorySync.Web;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args, ContentRootPath = SiloRegistration.ContentRoot(args, Directory.GetCurrentDirectory()),
});
builder.ListenByDefault(SiloRegistration.DefaultUrl);

// No Xero app configured: the emulator stands in for Xero and a demo tenant is seeded.
await using var sandbox = InventorySync.Silo.Demo.DemoMode.IsOn(builder.Configuration)
    ? await InventorySync.Silo.Demo.DemoMode.StartAsync(builder)
    : null;

builder.AddStorage();
builder.AddGrains();
builder.AddApi();
builder.AddWeb();
builder.AddSilo();

var app = builder.Build();
app.MapApi();
app.MapWeb();
app.MapOperations();
await app.RunAsync();
// A start that failed for good (the reason is in the log) ends the process with an error code.
return app.Services.GetRequiredService<StartupGate>().Ready.IsFaulted ? 1 : 0;

/// <summary>The host's entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
