using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using InventorySync.Contracts;
using InventorySync.Tests.Infrastructure;

namespace InventorySync.Tests.Silo;

/// <summary>The product as an operator starts it: the built Silo, run by `dotnet`, as its own process.</summary>
public sealed partial class DemoProcessTests
{
    [Fact]
    public async Task The_demo_runs_from_another_working_directory_on_another_port_and_syncs()
    {
        var elsewhere = Directory.CreateTempSubdirectory("inventorysync-demo");
        var (http, sandbox) = (Ports.Free(), Ports.Free());
        try
        {
            await using var silo = SiloProcess.Start(elsewhere.FullName, new Dictionary<string, string>
            {
                ["Demo__SandboxUrl"] = $"http://127.0.0.1:{sandbox}",
                ["INVENTORYSYNC_ADMIN_KEY"] = HostFactory<Program>.AdminKey,
            }, "--urls", $"http://127.0.0.1:{http}");
            // The demo prints its tenant, then its user's key on the next line.
            var demo = await silo.WaitForAsync(DemoTenant(), lines: 2);
            var (tenantId, key) = (Guid.Parse(demo.Groups[1].Value), demo.Groups[2].Value);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            var tenant = ApiTest.TenantPath(tenantId);
            Assert.Equal(RunState.Succeeded, (await RunToEndAsync(client, tenantId)).State);
            var data = Path.Combine(elsewhere.FullName, "data");
            Assert.True(File.Exists(Path.Combine(data, "inventorysync.db")),
                "the database is under the working directory");
            // With no key-encryption certificate configured, a single node makes its own beside the database and
            // says so.
            Assert.True(File.Exists(Path.Combine(data, "key-encryption.pfx")),
                "the certificate is beside the database");
            Assert.Contains("Generated the key-encryption certificate " + Path.Combine(data, "key-encryption.pfx"),
                silo.Output);

            // The OAuth callback follows the port the Silo listens on.
            var connect = await (await client.PostAsync($"{tenant}/xero/connect", null))
                .ReadAsync<XeroConnectStarted>();
            var callback = Uri.EscapeDataString($"http://127.0.0.1:{http}/api/v1/xero/callback");
            Assert.Contains(callback, connect.AuthorizeUrl);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task After_a_restart_the_demo_connects_to_the_fresh_emulator_and_its_documents_sync_again()
    {
        var folder = Directory.CreateTempSubdirectory("inventorysync-restart");
        var (http, sandbox) = (Ports.Free(), Ports.Free());
        string[] urls = ["--urls", $"http://127.0.0.1:{http}"];
        var environment = new Dictionary<string, string>
        {
            ["Demo__SandboxUrl"] = $"http://127.0.0.1:{sandbox}",
            ["INVENTORYSYNC_ADMIN_KEY"] = HostFactory<Program>.AdminKey,
        };
        try
        {
            Match demo;
            await using (var first = SiloProcess.Start(folder.FullName, environment, urls))
                demo = await first.WaitForAsync(DemoTenant(), lines: 2);
            var (tenantId, key) = (Guid.Parse(demo.Groups[1].Value), demo.Groups[2].Value);

            // The emulator keeps nothing across restarts: without a new connection every run would fail.
            await using var second = SiloProcess.Start(folder.FullName, environment, urls);
            await second.WaitForAsync(new Regex("reconnected to a fresh"));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(RunState.Succeeded, (await RunToEndAsync(client, tenantId)).State);
            // The first process stopped before its first slot: every run is the second's, and between them (a manual
            // one, and perhaps the schedule's) they sent 3 contacts, 3 sale invoices, 1 bill and 1 payment, once.
            // A slot may fire as the manual run ends (time is real here): its run is followed to its end too.
            Paged<RunResponse> runs;
            var polls = 0;
            do runs = await (await client.GetAsync($"{ApiTest.TenantPath(tenantId)}/sync/runs"))
                .ReadAsync<Paged<RunResponse>>();
            while (runs.Items.Any(r => r.State is RunState.Queued or RunState.Running) && ++polls < 10_000);
            Assert.All(runs.Items, r => Assert.Equal(RunState.Succeeded, r.State));
            Assert.Equal(8, runs.Items.Sum(r => r.Synced));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Sync now, followed to its end; the demo syncs every minute, so its auto run may be the one under way (409
    /// names it).
    /// </summary>
    private static async Task<RunResponse> RunToEndAsync(HttpClient client, Guid tenantId)
    {
        var tenant = ApiTest.TenantPath(tenantId);
        var answer = await client.PostAsync($"{tenant}/sync", null);
        var runId = answer.StatusCode == HttpStatusCode.Conflict
            ? Guid.Parse((string)(await answer.ProblemAsync(HttpStatusCode.Conflict))["runId"]!)
            : (await answer.ReadAsync<RunStarted>(HttpStatusCode.Accepted)).RunId;
        RunResponse run;
        var polls = 0;
        do run = await (await client.GetAsync($"{tenant}/sync/runs/{runId}")).ReadAsync<RunResponse>();
        while (run.State is RunState.Queued or RunState.Running && ++polls < 10_000);
        return run;
    }

    [GeneratedRegex(@"Demo tenant ""[^""]+"" \(([0-9a-f-]{36})\).*\n.*shown only this once: (isk_\S+)")]
    private static partial Regex DemoTenant();
}
