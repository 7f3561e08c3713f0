using System.Net;
using InventorySync.Contracts;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Tests.Infrastructure;

/// <summary>Three hosts on one PostgreSQL database, one emulator and one clock: a cluster of nodes in one process.</summary>
public class Cluster : IAsyncLifetime
{
    public const int Size = 3;
    private TestDatabase? _database;

    public FakeTimeProvider Clock { get; } = TestClock.New();
    /// <summary>Xero's calls a minute for the whole app, which the silos share.</summary>
    protected virtual int AppMinuteLimit => 10_000;
    public Emulator Xero { get; private set; } = null!;
    public Nodes Nodes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(InventorySync.Storage.DatabaseProvider.Postgres);
        Xero = await Emulator.StartAsync(Clock);
        lock (Xero.State.Gate) Xero.State.AppMinuteLimit = AppMinuteLimit;
        Nodes = new Nodes(Clock, Xero);
        for (var i = 0; i < Size; i++) await StartNodeAsync();
        await SharesSettledAsync();
    }

    /// <summary>Waits (on simulated time) until every live silo keeps to its equal share of Xero's app limit.</summary>
    public Task SharesSettledAsync() => Nodes.UntilAsync(() => Task.FromResult(Nodes.Live.All(n =>
        n.Service<XeroLimits>().AppShare == n.Service<IOptions<XeroOptions>>().Value.AppMinuteLimit / Nodes.Live.Count)),
        "the silos share Xero's app limit");

    public string ConnectionString => _database!.ConnectionString;

    public HttpClient On(int node, string key) => Nodes.Live[node % Nodes.Live.Count].ClientWithKey(key);

    /// <summary>
    /// A tenant with a user, connected to a new organisation in the emulator through <paramref name="node"/> (where
    /// its coordinator is first activated), with its accounts mapped.
    /// </summary>
    public async Task<(Guid TenantId, string Key, XeroSandbox.State.Org Org)> ConnectedTenantAsync(
        string name = "Cluster Trading", int node = 0)
    {
        var admin = On(0, AppFactory.AdminKey);
        var tenant = await (await admin.PostJsonAsync("/api/v1/tenants", new { name, timeZone = "Europe/London" }))
            .ReadAsync<TenantResponse>(HttpStatusCode.Created);
        var key = (await (await admin.PostJsonAsync($"{ApiTest.TenantPath(tenant.Id)}/users", new { name = "Ada" }))
            .ReadAsync<CreatedUserResponse>(HttpStatusCode.Created)).ApiKey;
        var user = On(node, key);
        var org = await Xero.ConnectAsync(Nodes.Live[node % Nodes.Live.Count], user, tenant.Id);
        await (await user.PutJsonAsync($"{ApiTest.TenantPath(tenant.Id)}/account-mappings", new { sales = "200", purchases = "300", bank = "090" }))
            .ReadNodeAsync();
        return (tenant.Id, key, org);
    }

    public async Task<AppFactory> StartNodeAsync()
    {
        var node = new AppFactory(_database!.ConnectionString, configure: builder =>
        {
            Xero.Serve(builder);
            builder.UseSetting("Xero:AppMinuteLimit", AppMinuteLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, clock: Clock);
        await node.StartAsync();
        Nodes.Add(node);
        return node;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes.Live.ToList()) await Nodes.StopAsync(node);
        await Xero.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>The same cluster under an app limit of 30 calls a minute, so that sharing it is put to work.</summary>
public sealed class TightAppLimitCluster : Cluster
{
    public const int Limit = 30;

    protected override int AppMinuteLimit => Limit;
}
