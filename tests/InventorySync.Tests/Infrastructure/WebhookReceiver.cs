using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace InventorySync.Tests.Infrastructure;

/// <summary>An inventory system's webhook endpoint: a real HTTP listener on loopback that keeps what it is sent.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Delivery(IReadOnlyDictionary<string, string> Headers, byte[] Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Delivery> _received = new();
    private int _refused;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>While down, it answers every delivery 503.</summary>
    public bool Down { get; set; }

    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyList<Delivery> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var url = $"http://127.0.0.1:{Ports.Free()}";
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, url + "/hooks/payments");
        app.MapPost("/hooks/payments", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            if (receiver.Down)
            {
                Interlocked.Increment(ref receiver._refused);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            receiver._received.Enqueue(new Delivery(
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(),
                    StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
