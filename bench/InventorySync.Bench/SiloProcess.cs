using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InventorySync.Storage.KeyRing;

namespace InventorySync.Bench;

/// <summary>A real Silo host, started as its own process on a free loopback port, as an operator would run it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string AdminKey = "bench-operator-key-0123456789";

    private readonly Process _process;
    private readonly string _keyEncryption;

    public Uri Address { get; }

    private SiloProcess(Process process, Uri address, string keyEncryption)
    {
        _process = process;
        Address = address;
        _keyEncryption = keyEncryption;
    }

    public static async Task<SiloProcess> StartAsync(string siloDll, string database)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        siloDll = Path.GetFullPath(siloDll);
        var start = new ProcessStartInfo("dotnet", [siloDll, "--urls", address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(siloDll))!,
        };
        start.Environment["INVENTORYSYNC_DATABASE"] = database;
        start.Environment["INVENTORYSYNC_ADMIN_KEY"] = AdminKey;
        // Every node on PostgreSQL needs its key-encryption certificate: this one lives as long as the process.
        var keyEncryption = Path.Combine(Path.GetTempPath(), $"inventorysync-bench-{Guid.NewGuid():N}.pfx");
        KeyEncryption.WriteNewCertificate(keyEncryption);
        start.Environment["INVENTORYSYNC_KEY_ENCRYPTION"] = keyEncryption;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  silo: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, address, keyEncryption);
        using var http = new HttpClient { BaseAddress = address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"The Silo exited with code {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return silo;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await silo.DisposeAsync();
        throw new TimeoutException("The Silo did not become ready within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_keyEncryption);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
