using Orleans.TestingHost;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.Storage;
using InventorySync.Storage.KeyRing;
using InventorySync.XeroSandbox;
using InventorySync.XeroSandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InventorySync.Bench;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>
/// Whole runs against the emulator with Xero's real limits, on a sped-up clock: a 10,000-invoice backlog for one
/// tenant (calls used against the minimum, 429s, time against what the minute limit alone imposes), then many
/// tenants syncing at once under the app-wide limit.
/// </summary>
public static class SyncBenchmark
{
    private const string AdminKey = "bench-operator-key-0123456789";

    /// <summary>The Silo in-process, its Xero calls served by the emulator, both on the fast clock.</summary>
    private sealed class Node(
        string database, string keyEncryption, WebApplication sandbox, TimeProvider clock, XeroTimer xeroTime,
        bool unlimited)
        : WebApplicationFactory<InventorySync.Silo.Workers.OutboxOptions> // any type of the Silo assembly names its entry point
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(AppContext.BaseDirectory);
            builder.UseSetting("INVENTORYSYNC_DATABASE", database);
            builder.UseSetting("INVENTORYSYNC_KEY_ENCRYPTION", keyEncryption);
            builder.UseSetting("INVENTORYSYNC_ADMIN_KEY", AdminKey);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Xero:ClientId", SandboxState.ClientId);
            builder.UseSetting("Xero:ClientSecret", SandboxState.ClientSecret);
            builder.UseSetting("Xero:RedirectUri",
                "http://localhost" + InventorySync.Api.Endpoints.XeroConnectionApi.CallbackPath);
            foreach (var url in new[] { "LoginUrl", "IdentityUrl", "ApiUrl" }) builder.UseSetting($"Xero:{url}",
                "http://localhost");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            if (unlimited)
                foreach (var limit in new[] { "MinuteLimit", "ConcurrentLimit", "DayLimit", "AppMinuteLimit" })
                    builder.UseSetting($"Xero:{limit}", "1000000");
            builder.ConfigureTestServices(s =>
            {
                // Our code and reminders on the fast clock; Orleans' own machinery (membership, messaging) on real time.
                s.AddSingleton(clock);
                s.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                s.AddKeyedSingleton(Orleans.Reminders.ReminderTimeProviderNames.Reminders, clock);
                s.ConfigureHttpClientDefaults(h => h.ConfigurePrimaryHttpMessageHandler(
                    () => new XeroTimingHandler(xeroTime) { InnerHandler = sandbox.GetTestServer().CreateHandler() }));
            });
        }

        public HttpClient As(string key)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }
    }

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clock = new FastClock(options.Speed);
        var (database, drop) = options.Postgres is { } server
            ? await IngestBenchmark.NewPostgresDatabaseAsync(server)
            : SqliteFile();
        var keyEncryption = Path.Combine(Path.GetTempPath(), $"inventorysync-bench-{Guid.NewGuid():N}.pfx");
        KeyEncryption.WriteNewCertificate(keyEncryption);
        try
        {
            await using var sandbox = SandboxHost.Build([], b =>
            {
                b.WebHost.UseTestServer();
                b.Services.AddSingleton<TimeProvider>(clock);
                b.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            await sandbox.StartAsync();
            var xeroTime = new XeroTimer();
            await using var node = new Node(database, keyEncryption, sandbox, clock, xeroTime, options.OwnWork);
            var admin = node.As(AdminKey);
            await node.Services.GetRequiredService<StartupGate>().Ready.WaitAsync(TimeSpan.FromMinutes(1));
            var state = sandbox.Services.GetRequiredService<SandboxState>();
            var browser = sandbox.GetTestClient();
            var provider = options.Postgres is null ? "SQLite" : "PostgreSQL";
            Console.WriteLine($"Sync runs against the emulator with Xero's limits (60 calls a minute, 5 at once, 5,000 a day per organisation; 10,000 a minute per app), clock {clock.Speed}× real time, {provider}.");

            if (options.OwnWork)
            {
                await OwnWorkAsync(node, admin, browser, state, xeroTime, options.Invoices);
                return 0;
            }
            // --invoices 0 runs the many-tenants scenario alone.
            if (options.Invoices > 0) await BacklogAsync(node, admin, browser, state, clock, options.Invoices);
            await ManyTenantsAsync(node, admin, browser, state, clock, options.Tenants, options.InvoicesPerTenant);
            return 0;
        }
        finally
        {
            await drop();
            File.Delete(keyEncryption);
        }
    }

    private static (string, Func<Task>) SqliteFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"inventorysync-bench-{Guid.NewGuid():N}.db");
        return ($"Data Source={path}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
            return Task.CompletedTask;
        });
    }

    private sealed record Backlog(Guid TenantId, HttpClient User, Org Org, int Contacts, int Invoices, int Payments)
    {
        public int Documents => Contacts + Invoices + Payments;
    }

    /// <summary>A tenant with <paramref name="invoices"/> invoices, a tenth as many contacts and a fifth as many payments.</summary>
    private static async Task<Backlog> SeedBacklogAsync(Node node, HttpClient admin, HttpClient browser,
        SandboxState state, int invoices, string name = "Backlog Trading")
    {
        var contacts = Math.Max(1, invoices / 10);
        var payments = invoices / 5;
        var (tenantId, user, org) = await ConnectedTenantAsync(node, admin, browser, state, name);
        var seeding = Stopwatch.StartNew();
        var contactIds = await InParallelAsync(Enumerable.Range(0, contacts), async i =>
            (Guid)(await PostAsync(user, $"/api/v1/tenants/{tenantId}/contacts", new { name = $"Customer {i:00000}",
                isCustomer = true }))["id"]!);
        var invoiceIds = new List<(Guid Order, Guid Invoice)>();
        foreach (var chunk in Enumerable.Range(0, invoices).Chunk(100))
        {
            var created = await PostAsync(user, $"/api/v1/tenants/{tenantId}/sales/batch", new
            {
                items = chunk.Select(i => new { contactId = contactIds[i % contacts], reference = $"SO-{i}",
                    invoices = new[] { Invoice($"INV-{i:00000}") } }),
            });
            invoiceIds.AddRange(created["items"]!.AsArray().Select(o => ((Guid)o!["id"]!,
                (Guid)o["invoices"]![0]!["id"]!)));
        }
        await InParallelAsync(invoiceIds.Take(payments), async x =>
        {
            await PostAsync(user, $"/api/v1/tenants/{tenantId}/sales/{x.Order}/invoices/{x.Invoice}/authorise", null);
            return await PostAsync(user, $"/api/v1/tenants/{tenantId}/payments", new { invoiceId = x.Invoice,
                amount = 5m, date = "2026-11-03" });
        });
        Console.WriteLine($"Seeded {contacts} contacts, {invoices} invoices and {payments} payments through the API in {seeding.Elapsed.TotalSeconds:F0} s.");

        return new Backlog(tenantId, user, org, contacts, invoices, payments);
    }

    private static async Task BacklogAsync(Node node, HttpClient admin, HttpClient browser, SandboxState state,
        FastClock clock, int invoices)
    {
        var (tenantId, user, org, contacts, _, payments) = await SeedBacklogAsync(node, admin, browser, state,
            invoices);
        var wall = Stopwatch.StartNew();
        var run = await SyncAsync(node, user, tenantId);
        wall.Stop();
        var calls = Calls(state, org.Id, run.Started);
        // A first sync looks up what the organisation holds: here (an empty one) a page of contacts and one of invoices.
        const int lookUps = 2;
        var minimum = lookUps + Ceiling(contacts) + Ceiling(invoices) + Ceiling(payments);
        // 60 calls in any minute: the first 60 go at once, then each further 60 needs another minute.
        var bound = TimeSpan.FromMinutes((minimum - 1) / 60);
        var simulated = run.Finished - run.Started;
        Console.WriteLine();
        Console.WriteLine($"One tenant, a backlog of {invoices} invoices, {contacts} contacts, {payments} payments:");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| run outcome | {run.State}, {run.Synced} synced, {run.Failed} failed |");
        Console.WriteLine($"| Xero calls used | {calls.Count} |");
        Console.WriteLine($"| minimum (2 look-ups + ⌈contacts/50⌉ + ⌈invoices/50⌉ + ⌈payments/50⌉) | {minimum} |");
        Console.WriteLine($"| calls vs minimum | {(double)calls.Count / minimum:P0} |");
        Console.WriteLine($"| 429s received | {calls.Count(c => c.Status == 429)} |");
        Console.WriteLine($"| run time (simulated) | {simulated.TotalMinutes:F2} min |");
        Console.WriteLine($"| time the minute limit alone imposes | {bound.TotalMinutes:F2} min |");
        Console.WriteLine($"| bound vs run time | {bound / simulated:P0} |");
        Console.WriteLine($"| real wall time | {wall.Elapsed.TotalSeconds:F1} s |");
    }

    /// <summary>
    /// The run's own work, with Xero's limits lifted on both sides so that nothing waits for a permit: the run's time
    /// less the time spent inside the emulator, per document. Another tenant's run of a fifth the size goes first,
    /// so that the measured run meets the Silo's sync code compiled and optimised, as a Silo that has been up a while
    /// does; that first run's figure is printed too.
    /// </summary>
    private static async Task OwnWorkAsync(Node node, HttpClient admin, HttpClient browser, SandboxState state,
        XeroTimer xeroTime, int invoices)
    {
        var warmUp = await SeedBacklogAsync(node, admin, browser, state, Math.Max(1, invoices / 5), "Warm-up Trading");
        var (_, firstWall, firstInXero) = await OwnRunAsync(node, state, xeroTime, warmUp);
        var backlog = await SeedBacklogAsync(node, admin, browser, state, invoices);
        var (run, wall, inXero) = await OwnRunAsync(node, state, xeroTime, backlog);
        var own = wall - inXero;
        Console.WriteLine();
        Console.WriteLine($"A run's own work, Xero's limits lifted: {backlog.Documents} documents ({backlog.Invoices} invoices, {backlog.Contacts} contacts, {backlog.Payments} payments):");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| run outcome | {run.State}, {run.Synced} synced, {run.Failed} failed |");
        Console.WriteLine($"| Xero calls | {xeroTime.Calls} |");
        Console.WriteLine($"| run wall time | {wall.TotalSeconds:F2} s |");
        Console.WriteLine($"| inside the emulator | {inXero.TotalSeconds:F2} s |");
        Console.WriteLine($"| the run's own work | {own.TotalSeconds:F2} s |");
        Console.WriteLine($"| own work per document | {own.TotalMilliseconds / backlog.Documents:F3} ms |");
        Console.WriteLine($"| the same for the first run ({warmUp.Documents} documents, its code cold) | " +
                          $"{(firstWall - firstInXero).TotalMilliseconds / warmUp.Documents:F3} ms |");
        await ReconcileAsync(backlog, state);
    }

    /// <summary>One backlog's run with the limits lifted: its outcome, its wall time and the time inside the emulator.
    /// </summary>
    private static async Task<(RunOutcome Run, TimeSpan Wall, TimeSpan InXero)> OwnRunAsync(Node node,
        SandboxState state, XeroTimer xeroTime, Backlog backlog)
    {
        lock (state.Gate)
        {
            backlog.Org.MinuteLimit = backlog.Org.DayLimit = backlog.Org.ConcurrentLimit = 1_000_000;
            state.AppMinuteLimit = 1_000_000;
        }
        xeroTime.Reset();
        var wall = Stopwatch.StartNew();
        var run = await SyncAsync(node, backlog.User, backlog.TenantId);
        return (run, wall.Elapsed, xeroTime.Elapsed);
    }

    /// <summary>
    /// A detailed reconciliation of the backlog's month: Xero calls against the fewest its paging allows (a page of
    /// 1,000 per list read, one at least), and the time it took.
    /// </summary>
    private static async Task ReconcileAsync(Backlog backlog, SandboxState state)
    {
        var tenant = $"/api/v1/tenants/{backlog.TenantId}";
        var since = state.Now;
        var wall = Stopwatch.StartNew();
        var id = (string)(await PostAsync(backlog.User, $"{tenant}/reconciliations",
            new { from = "2026-11-01", to = "2026-11-30", detailed = true }))["id"]!;
        JsonNode report;
        while ((string)(report = JsonNode.Parse(await backlog.User.GetStringAsync($"{tenant}/reconciliations/{id}"))!)
               ["state"]! == "Running")
            await Task.Delay(10);
        wall.Stop();
        int invoices, notes, payments;
        lock (state.Gate)
            (invoices, notes, payments) = (
                backlog.Org.Invoices.Values.Count(i => i.Status is "AUTHORISED" or "PAID"),
                backlog.Org.CreditNotes.Count, backlog.Org.Payments.Values.Count(p => p.Status == "AUTHORISED"));
        static int Pages(int n) => Math.Max(1, (n + 999) / 1000);
        var minimum = Pages(invoices) + Pages(notes) + Pages(payments);
        var result = report["result"]!;
        Console.WriteLine();
        Console.WriteLine($"A detailed reconciliation of the month: {invoices} invoices and {payments} payments "
                          + "approved in Xero:");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| outcome | {report["state"]}, {result["differenceCount"]} differences |");
        Console.WriteLine($"| Xero calls (estimated before it started) | {report["calls"]} ({report["estimatedCalls"]}) |");
        Console.WriteLine($"| minimum (a page of 1,000 per list, one at least) | {minimum} |");
        Console.WriteLine($"| calls recorded by the emulator | {Calls(state, backlog.Org.Id, since).Count} |");
        Console.WriteLine($"| wall time | {wall.Elapsed.TotalSeconds:F2} s |");
    }

    private static async Task ManyTenantsAsync(Node node, HttpClient admin, HttpClient browser, SandboxState state,
        FastClock clock, int tenants, int perTenant)
    {
        if (tenants == 0) return;
        // Two rounds of a tenth as many tenants sync first, so that the measured runs meet the Silo's sync code
        // compiled and optimised, as a Silo that has been up a while does: the runtime recompiles a method optimised
        // only after it has run a while, and one round left thousands to recompile during the measured one. Their
        // calls are over a simulated minute before.
        var warmUp = await SeedTenantsAsync(node, admin, browser, state, Math.Max(1, tenants / 10), perTenant,
            "Warm-up");
        var (warmStarted, warmFinished, _) = await SyncAllAsync(node, clock, warmUp);
        await SyncAllAsync(node, clock, await SeedTenantsAsync(node, admin, browser, state, warmUp.Count, perTenant,
            "Second warm-up"));
        var seeding = Stopwatch.StartNew();
        var users = await SeedTenantsAsync(node, admin, browser, state, tenants, perTenant, "Tenant");
        Console.WriteLine();
        Console.WriteLine($"Seeded {tenants} connected tenants with {perTenant} invoices each in {seeding.Elapsed.TotalSeconds:F0} s.");

        var cpu = new CpuMeter();
        var (started, finished, wall) = await SyncAllAsync(node, clock, users);
        var (cpuSeconds, compiled) = (cpu.Summary(wall), cpu.Compiled());
        List<RecordedRequest> calls;
        lock (state.Gate) calls = state.Requests.Where(r => r.At >= started && r.OrgId is not null).ToList();
        var (runs, succeeded) = await CountRunsAsync(node, started);
        var busiest = calls.Select(c => calls.Count(o => o.At > c.At - TimeSpan.FromMinutes(1) && o.At <= c.At)).DefaultIfEmpty().Max();
        // Each first sync: a look-up of its contact and a page of invoices, its contact, its invoices.
        var minimum = tenants * (2 + 1 + Ceiling(perTenant));
        var simulated = finished - started;
        Console.WriteLine($"{tenants} tenants × {perTenant} invoices, every tenant's sync started at once:");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| runs succeeded | {succeeded} of {runs} |");
        Console.WriteLine($"| Xero calls used (minimum) | {calls.Count} ({minimum}) |");
        Console.WriteLine($"| 429s received | {calls.Count(c => c.Status == 429)} |");
        Console.WriteLine($"| busiest minute, app-wide | {busiest} calls (limit 10,000) |");
        Console.WriteLine($"| time for all (simulated) | {simulated.TotalMinutes:F2} min |");
        // At the app's rate: every call of every tenant, 10,000 a minute.
        var bound = TimeSpan.FromMinutes(minimum / 10_000.0);
        Console.WriteLine($"| time the app-wide limit imposes (calls ÷ 10,000 a minute) | {bound.TotalMinutes:F2} min |");
        Console.WriteLine($"| bound vs time for all | {bound / simulated:P0} |");
        Console.WriteLine($"| calls per simulated minute | {calls.Count / simulated.TotalMinutes:F0} |");
        Console.WriteLine($"| real wall time | {wall.TotalSeconds:F1} s |");
        Console.WriteLine($"| CPU seconds meanwhile | {cpuSeconds} |");
        Console.WriteLine($"| methods the JIT compiled meanwhile | {compiled} |");
        Console.WriteLine($"| the first round, {warmUp.Count} tenants, code cold (simulated) | " +
                          $"{(warmFinished - warmStarted).TotalMinutes:F2} min |");
    }

    private static async Task<List<(Guid TenantId, HttpClient User, Guid OrgId)>> SeedTenantsAsync(Node node,
        HttpClient admin, HttpClient browser, SandboxState state, int tenants, int perTenant, string name)
    {
        var users = new List<(Guid TenantId, HttpClient User, Guid OrgId)>();
        for (var t = 0; t < tenants; t++)
        {
            var (tenantId, user, org) = await ConnectedTenantAsync(node, admin, browser, state, $"{name} {t:0000}");
            var contact = (Guid)(await PostAsync(user, $"/api/v1/tenants/{tenantId}/contacts",
                new { name = "Walk-in customer", isCustomer = true }))["id"]!;
            foreach (var sale in Enumerable.Range(0, perTenant).Chunk(50))
                await PostAsync(user, $"/api/v1/tenants/{tenantId}/sales", new { contactId = contact,
                    reference = $"SO-{sale[0]}", invoices = sale.Select(i => Invoice($"INV-{i:000}")) });
            users.Add((tenantId, user, org.Id));
        }
        return users;
    }

    /// <summary>Starts every tenant's sync at once and waits for all to end: simulated start and end, real time.
    /// </summary>
    private static async Task<(DateTime Started, DateTime Finished, TimeSpan Wall)> SyncAllAsync(Node node,
        FastClock clock, List<(Guid TenantId, HttpClient User, Guid OrgId)> users)
    {
        var wall = Stopwatch.StartNew();
        var started = clock.GetUtcNow().UtcDateTime;
        await InParallelAsync(users, async u => await PostAsync(u.User, $"/api/v1/tenants/{u.TenantId}/sync", null));
        await using (var scope = node.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            while (await db.Runs.AnyAsync(r =>
                       r.State == Contracts.RunState.Queued || r.State == Contracts.RunState.Running))
                await Task.Delay(200);
        }
        return (started, clock.GetUtcNow().UtcDateTime, wall.Elapsed);
    }

    private static int Ceiling(int documents) => (documents + 49) / 50;

    private static object Invoice(string number) => new
    {
        invoiceNumber = number, date = "2026-11-02", dueDate = "2026-12-02", currencyCode = "NZD",
            lineAmountTypes = "Exclusive",
        lines = new[] { new { description = "Widget", quantity = 2m, unitAmount = 10m, taxRate = 15m,
            accountCode = "200" } },
    };

    private static async Task<(Guid TenantId, HttpClient User, Org Org)> ConnectedTenantAsync(Node node,
        HttpClient admin, HttpClient browser, SandboxState state, string name)
    {
        var tenantId = (Guid)(await PostAsync(admin, "/api/v1/tenants", new { name,
            timeZone = "Pacific/Auckland" }))["id"]!;
        var user = node.As((string)(await PostAsync(admin, $"/api/v1/tenants/{tenantId}/users",
            new { name = "Bench" }))["apiKey"]!);
        var org = state.AddOrganisation(name);
        lock (state.Gate)
        {
            state.ConsentTo.Clear();
            state.ConsentTo.Add(org.Id);
        }
        var authorize = (string)(await PostAsync(user, $"/api/v1/tenants/{tenantId}/xero/connect",
            null))["authorizeUrl"]!;
        var consent = await browser.GetAsync(new Uri(authorize).PathAndQuery);
        (await node.CreateClient().GetAsync(consent.Headers.Location!.PathAndQuery)).EnsureSuccessStatusCode();
        (await user.PutAsJsonAsync($"/api/v1/tenants/{tenantId}/account-mappings", new { sales = "200",
            purchases = "300", bank = "090" })).EnsureSuccessStatusCode();
        return (tenantId, user, org);
    }

    private sealed record RunOutcome(string State, int Synced, int Failed, DateTime Started, DateTime Finished);

    private static async Task<RunOutcome> SyncAsync(Node node, HttpClient user, Guid tenantId)
    {
        var runId = (string)(await PostAsync(user, $"/api/v1/tenants/{tenantId}/sync", null))["runId"]!;
        while (true)
        {
            var run = JsonNode.Parse(await user.GetStringAsync($"/api/v1/tenants/{tenantId}/sync/runs/{runId}"))!;
            if ((string)run["state"]! is not ("Queued" or "Running"))
                return new RunOutcome((string)run["state"]!, (int)run["synced"]!, (int)run["failed"]!,
                    (DateTime)run["createdAt"]!, (DateTime)run["finishedAt"]!);
            await Task.Delay(10);
        }
    }

    private static List<RecordedRequest> Calls(SandboxState state, Guid orgId, DateTime since)
    {
        lock (state.Gate) return state.Requests.Where(r => r.OrgId == orgId && r.At >= since).ToList();
    }

    private static async Task<(int Runs, int Succeeded)> CountRunsAsync(Node node, DateTime since)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var runs = db.Runs.Where(r => r.CreatedAt >= since);
        return (await runs.CountAsync(), await runs.CountAsync(r => r.State == Contracts.RunState.Succeeded));
    }

    private static async Task<List<T>> InParallelAsync<TIn, T>(IEnumerable<TIn> items, Func<TIn, Task<T>> work)
    {
        var results = new List<(int, T)>();
        await Parallel.ForEachAsync(items.Select((x, i) => (x, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (item, _) =>
        {
            var result = await work(item.x);
            lock (results) results.Add((item.i, result));
        });
        return results.OrderBy(r => r.Item1).Select(r => r.Item2).ToList();
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object? body)
    {
        var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Time spent inside the emulator by calls to Xero's accounting API.</summary>
    private sealed class XeroTimer
    {
        private long _ticks;
        private int _calls;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));
        public int Calls => _calls;

        public void Add(long started)
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _calls);
        }

        public void Reset() => (_ticks, _calls) = (0, 0);
    }

    private sealed class XeroTimingHandler(XeroTimer timer) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, ct);
            await response.Content.LoadIntoBufferAsync(ct);
            if (request.RequestUri?.AbsolutePath.StartsWith("/api.xro/",
                StringComparison.Ordinal) == true) timer.Add(started);
            return response;
        }
    }
}
