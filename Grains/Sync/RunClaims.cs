using InventorySync.Contracts;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Which node executes which run: a queued run, or a running one whose lease expired (its node died), is claimed by
/// a conditional update that raises the fence; the lease is renewed while the run goes on, and a node whose renewal
/// finds another fence has lost the run and stops.
/// </summary>
public sealed class RunClaims(AppDb db, NodeIdentity node, TimeProvider clock)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public sealed record Claimed(Guid RunId, Guid TenantId, long Fence);

    public async Task<Claimed?> ClaimNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.Runs.AsNoTracking()
            .Where(r => r.State == RunState.Queued || (r.State == RunState.Running && r.LeaseUntil < now))
            .OrderBy(r => r.CreatedAt).Select(r => new { r.Id, r.TenantId, r.Fence }).Take(5).ToListAsync(ct);
        foreach (var c in candidates)
        {
            var until = now + Lease;
            var won = await db.Runs
                .Where(r => r.Id == c.Id && r.Fence == c.Fence && (r.State == RunState.Queued || (r.State == RunState.Running && r.LeaseUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RunState.Running).SetProperty(r => r.Owner, node.Id)
                    .SetProperty(r => r.LeaseUntil, until).SetProperty(r => r.Fence, c.Fence + 1)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now), ct);
            if (won == 1) return new Claimed(c.Id, c.TenantId, c.Fence + 1);
        }
        return null;
    }

    /// <summary>False when the run is no longer ours (another node took it over after our lease expired).</summary>
    public async Task<bool> RenewAsync(Claimed claim, CancellationToken ct)
    {
        var until = clock.GetUtcNow().UtcDateTime + Lease;
        return await db.Runs.Where(r => r.Id == claim.RunId && r.Fence == claim.Fence && r.State == RunState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), ct) == 1;
    }
}
