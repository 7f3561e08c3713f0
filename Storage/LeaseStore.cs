using InventorySync.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Storage;

/// <summary>This process among the nodes: the owner named on the leases it holds.</summary>
public sealed class NodeIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}

/// <summary>
/// Named leases in the database: a claim is a conditional write whose row count says who won, and every claim
/// raises the fence, so a holder whose lease expired cannot release (or act for) its successor.
/// </summary>
public static class LeaseStore
{
    public sealed record Claim(string Key, string Owner, long Fence);

    public static async Task<Claim?> TryClaimAsync(AppDb db, string key, string owner, TimeSpan duration, DateTime now, CancellationToken ct)
    {
        var until = now + duration;
        var taken = await db.Leases.Where(l => l.Key == key && (l.Until <= now || l.Owner == owner))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, owner).SetProperty(l => l.Until, until).SetProperty(l => l.Fence, l => l.Fence + 1), ct);
        if (taken == 0)
        {
            if (await db.Leases.AnyAsync(l => l.Key == key, ct)) return null;
            db.Leases.Add(new Lease { Key = key, Owner = owner, Until = until, Fence = 1 });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                return null;
            }
        }
        var fence = await db.Leases.Where(l => l.Key == key && l.Owner == owner).Select(l => l.Fence).FirstAsync(ct);
        return new Claim(key, owner, fence);
    }

    public static Task ReleaseAsync(AppDb db, Claim claim, DateTime now, CancellationToken ct) =>
        db.Leases.Where(l => l.Key == claim.Key && l.Owner == claim.Owner && l.Fence == claim.Fence)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, now), ct);
}
