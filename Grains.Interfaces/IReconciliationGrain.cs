namespace InventorySync.Grains;

/// <summary>
/// One reconciliation report (key: the report id, with the tenant id as key extension): it fans out paged Xero
/// queries, compares them with our documents and writes the result to the report. One activation in the cluster;
/// while the report runs a reminder keeps it going, so a report whose silo died starts again cleanly on another.
/// </summary>
public interface IReconciliationGrain : IGrainWithGuidCompoundKey
{
    /// <summary>Starts the report (or goes on with it) as the grain's own work; answers at once.</summary>
    Task StartAsync();
}
