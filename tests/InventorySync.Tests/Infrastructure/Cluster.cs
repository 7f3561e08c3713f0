using Microsoft.Extensions.Time.Testing;
namespace InventorySync.Tests.Infrastructure;

/// <summary>Three hosts on one PostgreSQL database, one emulator and one clock: a cluster of nodes in one process.</summary>
public sealed class Cluster : IAsyncLifetime
{
    public const int Size = 3;
    private TestDatabase? _database;

    public FakeTimeProvider Clock { get; } = TestClock.New();
    public Emulator Xero { get; private set; } = null!;
    public Nodes Nodes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(InventorySync.Storage.DatabaseProvider.Postgres);
        Xero = await Emulator.StartAsync(Clock);
        Nodes = new Nodes(Clock, Xero);
        for (var i = 0; i < Size; i++) await StartNodeAsync();
    }

    public async Task<AppFactory> StartNodeAsync()
    {
        var node = new AppFactory(_database!.ConnectionString, configure: Xero.Serve, clock: Clock);
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
