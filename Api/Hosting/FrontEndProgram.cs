using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using InventorySync.Grains;
using InventorySync.Storage;

namespace InventorySync.Api.Hosting;

/// <summary>
/// <c>dotnet run --project Api</c>: the API-only front end. (A named entry point, not top-level statements, so that
/// its Program does not clash with the Silo's.)
/// </summary>
public static class FrontEndProgram
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenByDefault(FrontEnd.DefaultUrl);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.AddStorage();
        builder.AddGrains();
        builder.AddApi();
        builder.AddFrontEnd();

        var app = builder.Build();
        app.MapApi();
        await app.RunAsync();
    }
}
