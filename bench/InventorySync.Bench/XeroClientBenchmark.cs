using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using InventorySync.Xero.Models;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InventorySync.Bench;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>
/// Our Xero client against the emulator on loopback with its limits lifted: the client's cost per call against a
/// bare HttpClient making the same call, and the calls needed to create invoices in batches against one per call.
/// </summary>
public static class XeroClientBenchmark
{
    private sealed class MemoryTokens : IXeroTokenStore
    {
        private readonly ConcurrentDictionary<Guid, XeroTokens> _tokens = new();
        public Task<XeroTokens?> GetAsync(Guid tenantId, CancellationToken ct) => Task.FromResult(_tokens.GetValueOrDefault(tenantId));
        public Task SaveAsync(Guid tenantId, XeroTokens tokens, CancellationToken ct) { _tokens[tenantId] = tokens; return Task.CompletedTask; }
        public Task MarkNeedsReauthorisationAsync(Guid tenantId, CancellationToken ct) => Task.CompletedTask;
    }

    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var sandbox = SandboxHost.Build(["--urls", "http://127.0.0.1:0"], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await sandbox.StartAsync();
        var url = sandbox.Urls.First();
        var state = sandbox.Services.GetRequiredService<SandboxState>();
        state.AppMinuteLimit = int.MaxValue;

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var settings = new Dictionary<string, string?>
        {
            ["Xero:ClientId"] = SandboxState.ClientId, ["Xero:ClientSecret"] = SandboxState.ClientSecret, ["Xero:RedirectUri"] = "http://127.0.0.1/callback",
            ["Xero:LoginUrl"] = url, ["Xero:IdentityUrl"] = url, ["Xero:ApiUrl"] = url,
            ["Xero:MinuteLimit"] = "100000000", ["Xero:ConcurrentLimit"] = "64", ["Xero:AppMinuteLimit"] = "100000000",
        };
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddXero();
        var tokens = new MemoryTokens();
        builder.Services.AddSingleton<IXeroTokenStore>(tokens);
        builder.Services.AddSingleton(TimeProvider.System);
        using var host = builder.Build();
        var identity = host.Services.GetRequiredService<XeroIdentity>();

        async Task<(Org Org, XeroOrganisation Client, string Access)> ConnectAsync(string name)
        {
            var org = state.AddOrganisation(name);
            (org.MinuteLimit, org.DayLimit, org.ConcurrentLimit) = (int.MaxValue, int.MaxValue, 64);
            lock (state.Gate) { state.ConsentTo.Clear(); state.ConsentTo.Add(org.Id); }
            using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            var consent = await noRedirect.GetAsync(identity.AuthorizeUrl("bench"));
            var code = System.Web.HttpUtility.ParseQueryString(consent.Headers.Location!.Query)["code"]!;
            var t = await identity.ExchangeCodeAsync(code, CancellationToken.None);
            var tenantId = Guid.NewGuid();
            await tokens.SaveAsync(tenantId, t, CancellationToken.None);
            return (org, host.Services.GetRequiredService<XeroApi>().For(tenantId, org.Id.ToString()), t.AccessToken);
        }

        // 1. Cost per call: the same GET /Accounts, sequentially, raw and through the client.
        var (org, client, access) = await ConnectAsync("Overhead Ltd");
        using var raw = new HttpClient { BaseAddress = new Uri(url) };
        async Task RawCall()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api.xro/2.0/Accounts");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            request.Headers.Add("xero-tenant-id", org.Id.ToString());
            using var response = await raw.SendAsync(request);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }
        var calls = options.Calls;
        await Repeat(300, RawCall);
        await Repeat(300, () => client.GetAccountsAsync(CancellationToken.None));
        var rawTime = await Repeat(calls, RawCall);
        var clientTime = await Repeat(calls, () => client.GetAccountsAsync(CancellationToken.None));

        // 2. Calls to create N invoices: batched (50 a call) against one call per invoice.
        var invoices = options.Invoices;
        var (batchOrg, batchClient, _) = await ConnectAsync("Batched Ltd");
        var batched = Stopwatch.StartNew();
        var outcomes = await batchClient.SaveAsync("Invoices", Enumerable.Range(0, invoices).Select(i => Invoice($"B-{i}")).ToList(), b => $"b-{b[0].InvoiceNumber}", true, CancellationToken.None);
        batched.Stop();
        var (singleOrg, singleClient, _) = await ConnectAsync("One By One Ltd");
        var single = Stopwatch.StartNew();
        foreach (var i in Enumerable.Range(0, invoices))
            outcomes = await singleClient.SaveAsync("Invoices", [Invoice($"S-{i}")], b => $"s-{b[0].InvoiceNumber}", true, CancellationToken.None);
        single.Stop();
        int Calls(Org o) { lock (state.Gate) return state.Requests.Count(r => r.OrgId == o.Id && r.Method == "PUT"); }
        int Stored(Org o) { lock (state.Gate) return o.Invoices.Count; }

        Console.WriteLine();
        Console.WriteLine($"Xero client against the emulator on loopback, {calls} sequential GET /Accounts each:");
        Console.WriteLine($"| path                     | µs per call | vs raw HttpClient |");
        Console.WriteLine($"|--------------------------|------------:|------------------:|");
        Console.WriteLine($"| raw HttpClient (baseline)| {Micro(rawTime, calls),11:F0} | {1,16:P0} |");
        Console.WriteLine($"| XeroOrganisation client  | {Micro(clientTime, calls),11:F0} | {clientTime / rawTime,16:P0} |");
        Console.WriteLine($"Client overhead: {Micro(clientTime - rawTime, calls):F0} µs per call (limits, token, retries pipeline, JSON).");
        Console.WriteLine();
        Console.WriteLine($"Creating {invoices} invoices:");
        Console.WriteLine($"| path                 | Xero calls | invoices stored | wall time | calls vs one-per-invoice |");
        Console.WriteLine($"|----------------------|-----------:|----------------:|----------:|-------------------------:|");
        Console.WriteLine($"| one invoice per call | {Calls(singleOrg),10} | {Stored(singleOrg),15} | {single.Elapsed.TotalSeconds,8:F1}s | {1,24:P0} |");
        Console.WriteLine($"| batches of 50        | {Calls(batchOrg),10} | {Stored(batchOrg),15} | {batched.Elapsed.TotalSeconds,8:F1}s | {(double)Calls(batchOrg) / Calls(singleOrg),24:P1} |");
        Console.WriteLine($"At Xero's 60 calls a minute: {Math.Ceiling(Calls(singleOrg) / 60.0)} minutes one by one, {Math.Ceiling(Calls(batchOrg) / 60.0)} minutes batched.");
        return outcomes.All(o => o.Succeeded) ? 0 : 1;
    }

    private static Invoice Invoice(string number) => new()
    {
        Type = "ACCREC", Contact = new Contact { Name = "Bench Customer" }, InvoiceNumber = number, Date = "2026-11-02", Status = "AUTHORISED",
        LineItems = [new LineItem { Description = "Widget", Quantity = 3m, UnitAmount = 9.99m, AccountCode = "200", TaxType = "OUTPUT" }],
    };

    private static async Task<double> Repeat(int times, Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < times; i++) await call();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Micro(double seconds, int calls) => seconds / calls * 1_000_000;
}
