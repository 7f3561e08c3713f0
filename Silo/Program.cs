using InventorySync.Api;
using InventorySync.Grains;
using InventorySync.Silo;
using InventorySync.Storage;
using Microsoft.AspNetCore.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
    builder.WebHost.UseUrls(SiloRegistration.DefaultUrl);

builder.AddStorage();
builder.AddGrains();
builder.AddApi();
builder.AddSilo();

var app = builder.Build();
app.MapApi();
app.Run();

/// <summary>The host's entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
