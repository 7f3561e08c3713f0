using Microsoft.Extensions.Time.Testing;
using InventorySync.Contracts;
using InventorySync.Grains.Documents;
using InventorySync.Storage;
using InventorySync.Xero.Client;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Tests.Infrastructure;

/// <summary>
/// The hosts of one cluster (one database, one emulator, one clock) and simulated time for them: the clock moves
/// while they wait, never under a Xero call or a reminder tick.
/// </summary>
public sealed class Nodes(FakeTimeProvider clock, Emulator xero)
{
    private const int MaxSpins = 200_000;

    // A wait that never ends must fail naming what it waited for, not hold the suite until CI's limit (seen twice:
    // each step of the clock took seconds and memory grew to 6 GB while a run stayed unfinished). Not a timing
    // assertion: every wait here ends within seconds of real time.
    private static readonly TimeSpan MaxRealWait = TimeSpan.FromMinutes(5);
    private readonly List<AppFactory> _live = [];

    public IReadOnlyList<AppFactory> Live => _live;

    public void Add(AppFactory node) => _live.Add(node);

    /// <summary>Stops a node as a crash would look to the others: its runs keep their leases until they expire.</summary>
    public async Task StopAsync(AppFactory node)
    {
        _live.Remove(node);
        await node.DisposeAsync();
    }

    /// <summary>
    /// Stops a silo without a goodbye, as a crash would look to the others: its grains are not deactivated (their
    /// work just stops with the process) and the others take over what it held.
    /// </summary>
    public async Task KillAsync(AppFactory node)
    {
        _live.Remove(node);
        await node.Service<Orleans.Runtime.Silo>().StopAsync(new CancellationToken(canceled: true));
        await node.DisposeAsync();
    }

    /// <summary>The live node whose silo has this identity (as a run's owner names it).</summary>
    public AppFactory Silo(string identity) =>
        _live.Single(n => n.Service<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.ToString() == identity);

    public Task<T> WithDbAsync<T>(Func<AppDb, Task<T>> query) => _live[0].WithDbAsync(query);

    /// <summary>
    /// Work that time must not move under: a Xero call out and being answered (not one the emulator holds hanging),
    /// document grains' writes waiting for their commit, or a reminder tick being delivered.
    /// </summary>
    private bool Calling => _live.Sum(n => n.Service<XeroLimits>().CallsInProgress) > xero.Hanging
                            || _live.Any(n => n.Service<SyncStateWriter>().InFlight > 0)
                            || ReminderTicks.All.DeliveringOn(_live.Select(n => n.Service<Orleans.Runtime.ILocalSiloDetails>().SiloAddress).ToList());

    private string Busy => $"Xero calls out {_live.Sum(n => n.Service<XeroLimits>().CallsInProgress)}, held {xero.Hanging}, " +
                           $"grain writes waiting {_live.Sum(n => n.Service<SyncStateWriter>().InFlight)}";

    /// <summary>Steps the clock a second at a time while no call is being answered, until <paramref name="done"/>.</summary>
    public async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (var spins = 0; !await done(); spins++)
        {
            Assert.True(spins < MaxSpins && waited.Elapsed < MaxRealWait,
                $"never happened: {what} ({Busy}; {spins} steps, {waited.Elapsed.TotalSeconds:F0} s); the nodes' " +
                $"latest warnings:\n{string.Join('\n', _live.SelectMany(n => n.Warnings.Lines))}");
            if (!Calling) clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
    }

    public async Task<RunState> FinishAsync(Guid runId)
    {
        RunState state = default;
        await UntilAsync(async () =>
        {
            state = await WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.State).SingleAsync());
            return state is not (RunState.Queued or RunState.Running);
        }, $"run {runId} finished");
        return state;
    }

    /// <summary>
    /// Moves the clock to <paramref name="until"/>, letting the nodes fire slots and finish runs on the way: time
    /// stands still while a run executes or a Xero call is out, steps a second while work waits for a poll, and
    /// otherwise jumps to the next slot.
    /// </summary>
    public async Task ClockToAsync(Guid tenantId, DateTime until)
    {
        for (var spins = 0; ; spins++)
        {
            Assert.True(spins < MaxSpins, "the nodes never settled");
            // Read the schedule first: a slot is claimed in the same transaction that queues its run, so once the
            // schedule has moved on, the run is visible to the queries that follow.
            var (nextDue, queued, running) = await WithDbAsync(async db => (
                await db.Schedules.Where(x => x.TenantId == tenantId).Select(x => (DateTime?)x.NextDueUtc).FirstOrDefaultAsync(),
                await db.Runs.AnyAsync(r => r.TenantId == tenantId && r.State == RunState.Queued),
                await db.Runs.AnyAsync(r => r.TenantId == tenantId && r.State == RunState.Running)));
            var now = clock.GetUtcNow().UtcDateTime;
            var due = nextDue <= now;
            if (now >= until && !queued && !running && !due) return;
            if (!running && !Calling)
            {
                var jump = queued || due ? TimeSpan.Zero : (nextDue is { } next && next < until ? next : until) - now;
                clock.Advance(jump > TimeSpan.FromSeconds(1) ? jump : TimeSpan.FromSeconds(1));
            }
            for (var i = 0; i < 20; i++) await Task.Yield();
        }
    }
}
