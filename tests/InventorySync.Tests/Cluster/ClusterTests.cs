using Microsoft.Extensions.DependencyInjection;
using System.Net;
using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static InventorySync.Tests.Infrastructure.ApiTest;

namespace InventorySync.Tests.Cluster;

/// <summary>Several nodes on one PostgreSQL database: one run per tenant, one run per slot, and a node dying mid-run.</summary>
public sealed class ClusterTests(Infrastructure.Cluster cluster) : IClassFixture<Infrastructure.Cluster>
{
    private HttpClient On(int node, string key) => cluster.On(node, key);

    private Task<(Guid TenantId, string Key, XeroSandbox.State.Org Org)> ConnectedTenantAsync() => cluster.ConnectedTenantAsync();

    /// <summary>Starts a run whose first batch of invoices Xero stores, and whose answer never reaches the silo.</summary>
    private async Task<Guid> RunHeldAtItsFirstInvoiceBatchAsync(Guid tenantId, string key)
    {
        await cluster.Xero.FaultAsync("lose-answer", method: "POST", path: "/Invoices");
        var started = await (await On(1, key).PostAsync($"{TenantPath(tenantId)}/sync", null)).ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        await cluster.Nodes.UntilAsync(() => Task.FromResult(cluster.Xero.Hanging == 1), "the first invoice batch was stored");
        return started.RunId;
    }

    [Fact]
    public async Task Two_hundred_sync_now_calls_spread_over_the_nodes_start_exactly_one_run()
    {
        var (tenantId, key, _) = await ConnectedTenantAsync();
        var users = Enumerable.Range(0, Infrastructure.Cluster.Size).Select(n => On(n, key)).ToList();
        // The run stays active while the requests arrive: Xero holds its first call's answer.
        await NewContactAsync(users[0], tenantId, "Held Ltd");
        await cluster.Xero.FaultAsync("hang", method: "POST", path: "/Contacts");

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => users[i % users.Count].PostAsync($"{TenantPath(tenantId)}/sync", null)));

        var started = await Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted).ReadAsync<RunStarted>(HttpStatusCode.Accepted);
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.Equal(199, refused.Count);
        foreach (var answer in refused)
            Assert.Equal(started.RunId.ToString(), (string?)(await answer.ProblemAsync(HttpStatusCode.Conflict))["runId"]);
        Assert.Equal(1, await cluster.Nodes.WithDbAsync(db => db.Runs.CountAsync(r => r.TenantId == tenantId)));
        Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(started.RunId));
    }

    [Fact]
    public async Task A_one_minute_schedule_on_every_node_runs_sixty_times_in_an_hour_not_once_per_node()
    {
        var (tenantId, key, _) = await ConnectedTenantAsync();
        var user = On(1, key);
        var first = await EveryMinuteAsync(user, tenantId, cluster.Clock);

        await cluster.Nodes.ClockToAsync(tenantId, first.AddMinutes(59));
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { autoSync = new { enabled = false } })).ReadNodeAsync();

        var runs = await AutoRunsAsync(user, tenantId);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => first.AddMinutes(i)), runs.Select(Minute));
        Assert.All(runs, r => Assert.Equal(RunState.Succeeded, r.State));
        // The tenant's one coordinator fired every slot: its runs never overlapped.
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.True(pair.First.FinishedAt <= pair.Second.StartedAt, "two runs overlapped"));
    }

    [Fact]
    public async Task Nodes_stopped_mid_run_for_longer_than_Xeros_idempotency_leave_no_document_duplicated_and_none_lost()
    {
        var (tenantId, key, org) = await ConnectedTenantAsync();
        var user = On(0, key);
        var contact = await NewContactAsync(user, tenantId, "Node Crash Ltd");
        var numbers = Enumerable.Range(1, 120).Select(i => $"INV-N{i:000}").ToList();
        var sales = new List<OrderResponse>();
        foreach (var chunk in numbers.Chunk(40)) sales.Add(await NewSaleAsync(user, tenantId, contact.Id, chunk));
        foreach (var invoice in sales.SelectMany(s => s.Invoices).Take(5))
        {
            await AuthoriseAsync(user, tenantId, invoice);
            await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = invoice.Id, amount = 5m, date = "2026-11-03" }))
                .ReadNodeAsync(HttpStatusCode.Created);
        }
        var runId = await RunHeldAtItsFirstInvoiceBatchAsync(tenantId, key);
        lock (org.DocumentsGate) Assert.Equal(50, org.Invoices.Count);
        var owner = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner).SingleAsync());
        // Every node goes down for ten minutes: Xero has forgotten the batch's Idempotency-Key when they come back.
        foreach (var node in cluster.Nodes.Live.ToList()) await cluster.Nodes.StopAsync(node);
        cluster.Clock.Advance(XeroSandbox.State.SandboxState.IdempotencyLife + TimeSpan.FromMinutes(4));
        for (var i = 0; i < Infrastructure.Cluster.Size; i++) await cluster.StartNodeAsync();

        Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(runId));
        var (recoveredBy, synced) = await cluster.Nodes.WithDbAsync(async db => (
            await db.Runs.Where(r => r.Id == runId).Select(r => r.Owner).SingleAsync(),
            await db.Invoices.CountAsync(i => i.TenantId == tenantId && i.Sync.Status == SyncStatus.Synced)));
        Assert.NotEqual(owner, recoveredBy);
        Assert.Equal(120, synced);
        lock (org.DocumentsGate)
        {
            Assert.Equal(numbers, org.Invoices.Values.Select(i => i.InvoiceNumber).Order());
            Assert.Single(org.Contacts);
            Assert.Equal(5, org.Payments.Count);
        }
        var payments = await (await On(0, key).GetAsync($"{TenantPath(tenantId)}/payments")).ReadAsync<Paged<PaymentResponse>>();
        Assert.All(payments.Items, p => Assert.Equal(SyncStatus.Synced, p.Sync.Status));
    }

    [Fact]
    public async Task A_silo_killed_mid_run_leaves_its_run_to_a_survivor_which_sends_each_document_once()
    {
        var (tenantId, key, org) = await ConnectedTenantAsync();
        var user = On(0, key);
        var contact = await NewContactAsync(user, tenantId, "Killed Silo Ltd");
        var numbers = Enumerable.Range(1, 80).Select(i => $"INV-K{i:000}").ToList();
        foreach (var chunk in numbers.Chunk(40)) await NewSaleAsync(user, tenantId, contact.Id, chunk);
        var runId = await RunHeldAtItsFirstInvoiceBatchAsync(tenantId, key);
        var owner = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner!).SingleAsync());
        await cluster.Nodes.KillAsync(cluster.Nodes.Silo(owner));

        Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(runId));
        var recoveredBy = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner).SingleAsync());
        Assert.NotEqual(owner, recoveredBy);
        lock (org.DocumentsGate)
        {
            Assert.Equal(numbers, org.Invoices.Values.Select(i => i.InvoiceNumber).Order());
            Assert.Single(org.Contacts);
        }
        await cluster.StartNodeAsync();
    }

    [Fact]
    public async Task A_silo_killed_mid_report_leaves_it_to_a_survivor_which_completes_it_whole()
    {
        var (tenantId, key, org) = await ConnectedTenantAsync();
        var user = On(0, key);
        var contact = await NewContactAsync(user, tenantId, "Reported Ltd");
        var sale = await NewSaleAsync(user, tenantId, contact.Id, "INV-RK1", "INV-RK2");
        foreach (var invoice in sale.Invoices) await AuthoriseAsync(user, tenantId, invoice);
        var runId = (await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null))
            .ReadAsync<RunStarted>(HttpStatusCode.Accepted)).RunId;
        Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(runId));
        // The report runs on the silo of the tenant's coordinator, the one that ran the sync.
        var owner = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner!).SingleAsync());
        await cluster.Xero.FaultAsync("hang", method: "GET", path: "/CreditNotes");

        var started = await (await On(1, key).PostJsonAsync($"{TenantPath(tenantId)}/reconciliations",
            new { from = "2026-11-01", to = "2026-11-30", detailed = true })).ReadAsync<ReconciliationResponse>(HttpStatusCode.Accepted);
        await cluster.Nodes.UntilAsync(() => Task.FromResult(cluster.Xero.Hanging == 1), "the report's call is held");
        await cluster.Nodes.KillAsync(cluster.Nodes.Silo(owner));

        var report = started;
        await cluster.Nodes.UntilAsync(async () => (report = await (await On(0, key)
                .GetAsync($"{TenantPath(tenantId)}/reconciliations/{started.Id}")).ReadAsync<ReconciliationResponse>())
            .State != ReconciliationState.Running, "a survivor completed the report");
        Assert.Equal((ReconciliationState.Completed, true, 3), (report.State, report.Result!.FullyReconciled, report.Calls));
        Assert.Equal(2, report.Result.Totals.Single(t => t.DocumentType == SyncEntity.Invoice).XeroCount);
        // The survivor read everything again: Xero saw the invoices asked for twice, once before the kill.
        Assert.Equal(2, cluster.Xero.RequestsTo(org).Count(r => r.Method == "GET" && r.Path.EndsWith("/Invoices")
            && r.Query.Contains("where=", StringComparison.Ordinal)));
        await cluster.StartNodeAsync();
    }

    [Fact]
    public async Task A_silo_killed_while_idle_leaves_the_schedule_firing_on_the_survivors_once_a_slot()
    {
        var (tenantId, key, _) = await ConnectedTenantAsync();
        var user = On(0, key);
        var first = await EveryMinuteAsync(user, tenantId, cluster.Clock);
        await cluster.Nodes.ClockToAsync(tenantId, first.AddMinutes(2));
        var owner = (await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.TenantId == tenantId).OrderByDescending(r => r.CreatedAt)
            .Select(r => r.Owner!).FirstAsync()));

        // The silo holding the tenant's coordinator (and maybe its reminder) goes; a survivor loads the reminder.
        await cluster.Nodes.KillAsync(cluster.Nodes.Silo(owner));
        var killedAt = cluster.Clock.GetUtcNow().UtcDateTime;
        user = On(0, key);
        var survivors = cluster.Nodes.Live.Select(n => n.Service<Orleans.Runtime.ILocalSiloDetails>().SiloAddress).ToList();
        await ReminderTicks.All.ArmedAsync((silo, grain, reminder) =>
                survivors.Contains(silo) && reminder == "auto-sync" && grain.ToString().Contains(tenantId.ToString("N")))
            .WaitAsync(TimeSpan.FromMinutes(1));
        await cluster.Nodes.ClockToAsync(tenantId, first.AddMinutes(8));
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { autoSync = new { enabled = false } })).ReadNodeAsync();

        var runs = await AutoRunsAsync(user, tenantId);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => first.AddMinutes(i)), runs.Select(Minute));
        Assert.All(runs, r => Assert.Equal(RunState.Succeeded, r.State));
        var ownersAfter = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.TenantId == tenantId && r.CreatedAt > killedAt)
            .Select(r => r.Owner).Distinct().ToListAsync());
        Assert.DoesNotContain(owner, ownersAfter);
        await cluster.StartNodeAsync();
    }

    [Fact]
    public async Task The_API_only_front_end_serves_a_tenant_whose_runs_the_silos_execute()
    {
        var (tenantId, key, org) = await ConnectedTenantAsync();
        await using var frontEnd = new FrontEndFactory(cluster.ConnectionString, cluster.Xero.Serve, cluster.Clock);
        await frontEnd.StartAsync();
        var user = frontEnd.ClientWithKey(key);

        var contact = await NewContactAsync(user, tenantId, "Front End Ltd");
        await NewSaleAsync(user, tenantId, contact.Id, "INV-F1");
        var runId = (await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null)).ReadAsync<RunStarted>(HttpStatusCode.Accepted)).RunId;
        // A refusal a silo's grain raises reaches the front end's caller as the problem a silo would answer.
        var refused = await (await user.PostAsync($"{TenantPath(tenantId)}/sync", null))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(runId.ToString(), (string?)refused["runId"]);
        Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(runId));
        var run = await (await user.GetAsync($"{TenantPath(tenantId)}/sync/runs/{runId}")).ReadAsync<RunResponse>();
        Assert.Equal(2, run.Synced);
        await EveryMinuteAsync(user, tenantId, cluster.Clock);

        // The front end hosts no grains: the run executed on a silo of the cluster.
        Assert.Null(frontEnd.Services.GetService<Orleans.Runtime.Silo>());
        var owner = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Owner).SingleAsync());
        Assert.Contains(owner, cluster.Nodes.Live.Select(n => n.Service<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToString()));
        lock (org.DocumentsGate) Assert.Equal(["INV-F1"], org.Invoices.Values.Select(i => i.InvoiceNumber));
        var admin = frontEnd.ClientWithKey(AppFactory.AdminKey);
        var unconnected = await (await admin.PostJsonAsync("/api/v1/tenants",
            new { name = "Not Yet Connected", timeZone = "Europe/London" })).ReadAsync<TenantResponse>(HttpStatusCode.Created);
        var notConnected = await (await admin.PostAsync($"{TenantPath(unconnected.Id)}/sync", null))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not connected to Xero", (string?)notConnected["detail"]);
        await (await user.PutJsonAsync($"{TenantPath(tenantId)}/settings", new { autoSync = new { enabled = false } })).ReadNodeAsync();
    }
}

/// <summary>Three silos calling Xero at once for many tenants: together they keep under the app's limit.</summary>
public sealed class AppLimitClusterTests(TightAppLimitCluster cluster) : IClassFixture<TightAppLimitCluster>
{
    [Fact]
    public async Task Three_silos_syncing_at_once_stay_under_Xeros_app_limit_together_without_a_single_429()
    {
        const int tenants = 15;
        var started = cluster.Clock.GetUtcNow().UtcDateTime;
        var runs = new List<Guid>();
        for (var i = 0; i < tenants; i++)
        {
            // Connected through every node in turn: the coordinators are spread over the silos.
            var (tenantId, key, _) = await cluster.ConnectedTenantAsync($"Tenant {i}", node: i);
            var user = cluster.On(i, key);
            var contact = await NewContactAsync(user, tenantId, $"Customer {i}");
            var sale = await NewSaleAsync(user, tenantId, contact.Id, $"INV-{i}");
            var invoice = await AuthoriseAsync(user, tenantId, sale.Invoices[0]);
            await (await user.PostJsonAsync($"{TenantPath(tenantId)}/payments", new { invoiceId = invoice.Id, amount = 5m, date = "2026-11-03" }))
                .ReadNodeAsync(HttpStatusCode.Created);
            runs.Add(tenantId);
        }

        // Each run makes three calls (contact, invoice, payment): 45 calls, more than a minute's 30 for the whole app.
        var answers = await Task.WhenAll(runs.Select((tenantId, i) => cluster.On(i, AppFactory.AdminKey).PostAsync($"{TenantPath(tenantId)}/sync", null)));
        var runIds = new List<Guid>();
        foreach (var answer in answers) runIds.Add((await answer.ReadAsync<RunStarted>(HttpStatusCode.Accepted)).RunId);
        foreach (var runId in runIds) Assert.Equal(RunState.Succeeded, await cluster.Nodes.FinishAsync(runId));

        var owners = await cluster.Nodes.WithDbAsync(db => db.Runs.Where(r => runIds.Contains(r.Id)).Select(r => r.Owner).Distinct().CountAsync());
        Assert.True(owners > 1, "the runs executed on several silos");
        List<XeroSandbox.State.RecordedRequest> calls;
        lock (cluster.Xero.State.Gate) calls = cluster.Xero.State.Requests.Where(r => r.At >= started).ToList();
        Assert.Equal(tenants * 3, calls.Count);
        Assert.DoesNotContain(calls, c => c.Status == 429);
        XeroAssert.NeverAbove(calls, TightAppLimitCluster.Limit);
    }
}
