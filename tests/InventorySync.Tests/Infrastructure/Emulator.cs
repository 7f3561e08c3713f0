using System.Net;
using System.Net.Http.Json;
using InventorySync.Contracts;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>The Xero emulator on a test server, on the hosts' clock, and how to point a host at it.</summary>
public sealed class Emulator : IAsyncDisposable
{
    private Emulator(WebApplication sandbox)
    {
        Sandbox = sandbox;
        Browser = sandbox.GetTestClient();
    }

    public WebApplication Sandbox { get; }
    public SandboxState State => Sandbox.Services.GetRequiredService<SandboxState>();
    /// <summary>A browser at the emulator: it does not follow redirects, so the test sees where Xero sends the user.</summary>
    public HttpClient Browser { get; }

    /// <summary>Calls the emulator holds unanswered right now (a "hang" or "lose-answer" fault).</summary>
    public int Hanging
    {
        get { lock (State.Gate) return State.Hanging; }
    }

    public static async Task<Emulator> StartAsync(TimeProvider clock)
    {
        var sandbox = SandboxHost.Build([], b =>
        {
            b.WebHost.UseTestServer();
            b.Services.AddSingleton(clock);
        });
        await sandbox.StartAsync();
        return new Emulator(sandbox);
    }

    /// <summary>Configures a host's Xero app to be this emulator.</summary>
    public void Serve(IWebHostBuilder builder)
    {
        builder.UseSetting("Xero:ClientId", SandboxState.ClientId);
        builder.UseSetting("Xero:ClientSecret", SandboxState.ClientSecret);
        builder.UseSetting("Xero:RedirectUri", "http://localhost" + InventorySync.Api.Endpoints.XeroConnectionApi.CallbackPath);
        foreach (var url in new[] { "LoginUrl", "IdentityUrl", "ApiUrl" }) builder.UseSetting($"Xero:{url}", "http://localhost");
        // Xero's clients (and the demo's consent) only: the product's other calls (payments webhooks) go out over
        // real HTTP.
        builder.ConfigureTestServices(s =>
        {
            s.AddHttpClient(InventorySync.Silo.Demo.DemoSeeder.Browser)
                .ConfigurePrimaryHttpMessageHandler(() => Sandbox.GetTestServer().CreateHandler());
            s.AddHttpClient<InventorySync.Xero.Client.XeroIdentity>()
                .ConfigurePrimaryHttpMessageHandler(() => Sandbox.GetTestServer().CreateHandler());
            s.AddHttpClient<InventorySync.Xero.Client.XeroApi>()
                .ConfigurePrimaryHttpMessageHandler(() => Sandbox.GetTestServer().CreateHandler());
        });
    }

    /// <summary>
    /// Connects the tenant to an organisation (a new one unless given) through the whole consent: our connect URL,
    /// the emulator's consent page (the user agrees at once) and back to our callback. Unless
    /// <paramref name="onboarding"/>, the tenant is one whose organisation a run has gone through before, so that its
    /// runs create without looking up first and tests count only the calls they are about.
    /// </summary>
    public async Task<Org> ConnectAsync(AppFactory app, HttpClient user, Guid tenantId, Org? existing = null,
        bool onboarding = false)
    {
        var org = existing ?? State.AddOrganisation($"Org of {tenantId:N}");
        lock (State.Gate)
        {
            State.ConsentTo.Clear();
            State.ConsentTo.Add(org.Id);
        }
        var started = await (await user.PostAsync($"/api/v1/tenants/{tenantId}/xero/connect", null)).ReadAsync<XeroConnectStarted>();
        Assert.DoesNotContain(" ", started.AuthorizeUrl);
        var consent = await Browser.GetAsync(new Uri(started.AuthorizeUrl).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal("/api/v1/xero/callback", back.AbsolutePath);
        var connected = await (await app.CreateClient().GetAsync(back.PathAndQuery)).ReadAsync<XeroConnectionResponse>();
        Assert.Equal((ConnectionStatus.Connected, org.Name, org.Id.ToString()), (connected.Status, connected.OrganisationName, connected.XeroTenantId));
        if (!onboarding)
            await app.WithDbAsync(db => db.XeroConnections.Where(c => c.TenantId == tenantId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.OnboardedAt, app.Clock.GetUtcNow().UtcDateTime)));
        return org;
    }

    /// <summary>Queues faults for the next calls (with this method and path ending, when given).</summary>
    public async Task FaultAsync(string kind, int count = 1, string? method = null, string? path = null, int delayMilliseconds = 0) =>
        (await Browser.PostAsJsonAsync("/sandbox/faults", new { kind, count, delayMilliseconds, method, path })).EnsureSuccessStatusCode();

    public List<RecordedRequest> RequestsTo(Org org)
    {
        lock (State.Gate) return State.Requests.Where(r => r.OrgId == org.Id).ToList();
    }

    public async ValueTask DisposeAsync() => await Sandbox.DisposeAsync();
}
