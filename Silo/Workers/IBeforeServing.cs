namespace InventorySync.Silo.Workers;

/// <summary>
/// Work a node does once its silo runs and before it serves: before a single node's schedules resume and before the
/// API opens (the demo's seeding, so that no slot fires on a connection it is about to replace).
/// </summary>
public interface IBeforeServing
{
    Task RunAsync(CancellationToken ct);
}
