using System.Diagnostics;
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
        var siloDll = Path.Combine(AppContext.BaseDirectory, "InventorySync.Silo.dll");
        var start = new ProcessStartInfo("dotnet", [siloDll, "--urls", $"http://127.0.0.1:{http}"])
        {
            WorkingDirectory = elsewhere.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["Demo__SandboxUrl"] = $"http://127.0.0.1:{sandbox}", ["Orleans__SiloPort"] = $"{Ports.Free()}",
                ["Orleans__GatewayPort"] = $"{Ports.Free()}",
                ["INVENTORYSYNC_ADMIN_KEY"] = HostFactory<Program>.AdminKey,
            },
        };
        using var silo = Process.Start(start)!;
        var demo = new TaskCompletionSource<(Guid Tenant, string Key)>();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        silo.OutputDataReceived += (_, line) => Seen(line.Data);
        silo.ErrorDataReceived += (_, line) => Seen(line.Data);
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            // The demo prints its tenant, then its user's key on the next line.
            var (tenantId, key) = await demo.Task.WaitAsync(TimeSpan.FromMinutes(2));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            var tenant = ApiTest.TenantPath(tenantId);
            var started = await (await client.PostAsync($"{tenant}/sync", null))
                .ReadAsync<RunStarted>(HttpStatusCode.Accepted);
            RunResponse run;
            var polls = 0;
            do run = await (await client.GetAsync($"{tenant}/sync/runs/{started.RunId}")).ReadAsync<RunResponse>();
            while (run.State is RunState.Queued or RunState.Running && ++polls < 10_000);
            Assert.Equal(RunState.Succeeded, run.State);
            Assert.True(File.Exists(Path.Combine(elsewhere.FullName, "data", "inventorysync.db")),
                "the database is under the working directory");

            // The OAuth callback follows the port the Silo listens on.
            var connect = await (await client.PostAsync($"{tenant}/xero/connect", null))
                .ReadAsync<XeroConnectStarted>();
            var callback = Uri.EscapeDataString($"http://127.0.0.1:{http}/api/v1/xero/callback");
            Assert.Contains(callback, connect.AuthorizeUrl);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the demo did not start:\n{string.Join('\n', output)}");
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
            elsewhere.Delete(recursive: true);
        }

        void Seen(string? line)
        {
            if (line is null) return;
            output.Enqueue(line);
            if (DemoTenant().Match(string.Join('\n', output.TakeLast(2))) is { Success: true } m)
                demo.TrySetResult((Guid.Parse(m.Groups[1].Value), m.Groups[2].Value));
        }
    }

    [GeneratedRegex(@"Demo tenant ""[^""]+"" \(([0-9a-f-]{36})\).*\n.*shown only this once: (isk_\S+)")]
    private static partial Regex DemoTenant();
}
