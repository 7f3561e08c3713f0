using System.Diagnostics.Metrics;
using InventorySync.Storage.Entities;
using InventorySync.Xero.Client;

namespace InventorySync.Grains.Sync;

/// <summary>What runs count for operators (OpenTelemetry): runs by outcome, their documents by status, durations.
/// </summary>
public sealed class SyncMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _documents;
    private readonly Histogram<double> _duration;

    public SyncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(XeroMetrics.MeterName);
        _runs = meter.CreateCounter<long>("inventorysync.runs", "{run}", "Runs ended, by outcome and trigger");
        _documents = meter.CreateCounter<long>("inventorysync.documents", "{document}",
            "Documents a run ended with, by status (synced, failed, skipped, pending)");
        _duration = meter.CreateHistogram<double>("inventorysync.run.duration", "s",
            "From a run's start to its end");
    }

    public void Ended(Run run)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", run.State.ToString());
        _runs.Add(1, outcome, new KeyValuePair<string, object?>("trigger", run.Trigger.ToString()));
        foreach (var (status, count) in new[] { ("synced", run.SyncedCount), ("failed", run.FailedCount),
                     ("skipped", run.SkippedCount), ("pending", run.PendingCount) })
            if (count > 0) _documents.Add(count, new KeyValuePair<string, object?>("status", status));
        if (run is { StartedAt: { } started, FinishedAt: { } finished })
            _duration.Record((finished - started).TotalSeconds, outcome);
    }
}
