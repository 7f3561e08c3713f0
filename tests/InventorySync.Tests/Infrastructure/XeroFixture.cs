using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

public sealed class InMemoryTokenStore : IXeroTokenStore
{
    private readonly ConcurrentDictionary<Guid, XeroTokens> _tokens = new();
    public int Saves;

    public Task<XeroTokens?> GetAsync(Guid tenantId, CancellationToken ct) => Task.FromResult(_tokens.GetValueOrDefault(tenantId));

    public Task SaveAsync(Guid tenantId, XeroTokens tokens, CancellationToken ct)
    {
        Interlocked.Increment(ref Saves);
        _tokens[tenantId] = tokens;
        return Task.CompletedTask;
    }

    public Task MarkNeedsReauthorisationAsync(Guid tenantId, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// The Xero emulator in-process on a test server, and our Xero client wired to it, both on one manual clock. Each
/// test connects a fresh organisation, so tests never share Xero data.
/// </summary>
public sealed class XeroFixture : IAsyncLifetime
{
    public const string RedirectUri = "http://localhost/xero/callback";

    private IHost? _client;

    public FakeTimeProvider Clock { get; } = TestClock.New();
    public Emulator Emulator { get; private set; } = null!;
    public SandboxState State => Emulator.State;
    public HttpClient Raw => Emulator.Browser;
    public InMemoryTokenStore Tokens { get; } = new();
    public CapturedLogs Logs { get; } = new();
    public XeroApi Api => _client!.Services.GetRequiredService<XeroApi>();
    public XeroLimits Limits => _client!.Services.GetRequiredService<XeroLimits>();
    private const long MaxSpins = 50_000_000;
    /// <summary>Small against every wait the client makes (a second of Retry-After, a minute's window).</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    public XeroIdentity Identity => _client!.Services.GetRequiredService<XeroIdentity>();

    public async Task InitializeAsync()
    {
        Emulator = await Emulator.StartAsync(Clock);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Xero:ClientId"] = SandboxState.ClientId;
        builder.Configuration["Xero:ClientSecret"] = SandboxState.ClientSecret;
        builder.Configuration["Xero:RedirectUri"] = RedirectUri;
        foreach (var url in new[] { "LoginUrl", "IdentityUrl", "ApiUrl" }) builder.Configuration[$"Xero:{url}"] = "http://localhost";
        builder.AddXero();
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        builder.Logging.AddProvider(Logs);
        // Every line at every level, whatever the host's appsettings.json filters for operators.
        builder.Logging.AddFilter<CapturedLogs>(null, Microsoft.Extensions.Logging.LogLevel.Trace);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<IXeroTokenStore>(Tokens);
        builder.Services.ConfigureHttpClientDefaults(h => h.ConfigurePrimaryHttpMessageHandler(() => Emulator.Sandbox.GetTestServer().CreateHandler()));
        _client = builder.Build();
    }

    /// <summary>A new organisation, consented to and connected for <paramref name="tenantId"/> through the OAuth2 flow.</summary>
    public async Task<(Guid TenantId, Org Org, XeroOrganisation Client)> ConnectAsync(string name = "Demo Company")
    {
        var org = State.AddOrganisation(name);
        lock (State.Gate)
        {
            State.ConsentTo.Clear();
            State.ConsentTo.Add(org.Id);
        }
        var tenantId = Guid.NewGuid();
        var consent = await Raw.GetAsync(Identity.AuthorizeUrl("state-1").PathAndQuery);
        var code = System.Web.HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
        var tokens = await Identity.ExchangeCodeAsync(code, CancellationToken.None);
        await Tokens.SaveAsync(tenantId, tokens, CancellationToken.None);
        var connection = (await Identity.GetConnectionsAsync(tokens.AccessToken, CancellationToken.None)).Single(c => c.TenantId == org.Id);
        return (tenantId, org, Api.For(tenantId, connection.TenantId.ToString()));
    }

    /// <summary>
    /// Runs <paramref name="task"/> to completion on simulated time: the clock moves a step only while the client
    /// waits (no call holding its place in the limits but those the emulator holds hanging), never under running work.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        await RunAsync((Task)task, limit);
        return await task;
    }

    public async Task RunAsync(Task task, TimeSpan? limit = null)
    {
        var end = Clock.GetUtcNow() + (limit ?? TimeSpan.FromHours(3));
        var idle = 0;
        var spins = 0L;
        while (!task.IsCompleted)
        {
            await Task.Yield();
            if (++spins > MaxSpins) throw new TimeoutException("No progress: the work neither finished nor waited for the clock.");
            idle = Limits.CallsInProgress == Hanging ? idle + 1 : 0;
            // Waiting for real: a few quiet passes in a row before time moves.
            if (idle < 20) continue;
            idle = 0;
            if (Clock.GetUtcNow() >= end) throw new TimeoutException("Still running after the simulated time allowed.");
            Clock.Advance(Step);
        }
        await task;
    }

    private int Hanging => Emulator.Hanging;

    public List<RecordedRequest> RequestsTo(Org org) => Emulator.RequestsTo(org);

    public Task FaultAsync(string kind, int count, int delayMilliseconds = 0) => Emulator.FaultAsync(kind, count, delayMilliseconds: delayMilliseconds);

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await Emulator.DisposeAsync();
    }
}
