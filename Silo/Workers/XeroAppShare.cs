using InventorySync.Storage;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace InventorySync.Silo.Workers;

/// <summary>
/// Xero counts 10,000 calls a minute for the whole app, whichever silo makes them: each silo keeps to an equal share
/// of the active silos (ADR 0017). A share shrinks as soon as a silo joins, and grows only a window after one left,
/// when the calls it made have left Xero's minute. A silo joining silos that may have called Xero in the last
/// minute waits a window before its first call, by when the others have shrunk.
/// </summary>
public sealed partial class XeroAppShare(
    IClusterMembershipService membership, ILocalSiloDetails silo, XeroLimits limits, IOptions<XeroOptions> xero,
    StartupGate gate, TimeProvider clock, ILogger<XeroAppShare> log) : BackgroundService
{
    private readonly Lock _gate = new();
    private int? _share;

    /// <summary>The share a raise under way waits to apply, and how to call it off.</summary>
    private (int Share, CancellationTokenSource Cancel)? _raising;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await gate.Ready.WaitAsync(stoppingToken);
        var first = membership.CurrentSnapshot;
        var others = first.Members.Keys.Any(m => !m.Equals(silo.SiloAddress));
        if (others) Apply(0);
        Follow(first, stoppingToken, raiseLater: others);
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            Follow(snapshot, stoppingToken, raiseLater: true);
    }

    private void Follow(ClusterMembershipSnapshot snapshot, CancellationToken stoppingToken, bool raiseLater)
    {
        lock (_gate) FollowLocked(snapshot, stoppingToken, raiseLater);
    }

    private void FollowLocked(ClusterMembershipSnapshot snapshot, CancellationToken stoppingToken, bool raiseLater)
    {
        var active = Math.Max(1, snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
        var share = xero.Value.AppMinuteLimit / active;
        // Orleans hands out the same view again from time to time: a raise already waiting for this share keeps the
        // window it started, or one republished view a minute would hold the share down for good.
        if (_raising?.Share == share) return;
        _raising?.Cancel.Cancel();
        _raising = null;
        if (share == _share) return;
        if (_share is null || share < _share || !raiseLater)
        {
            Apply(share);
            return;
        }
        var raise = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _raising = (share, raise);
        _ = RaiseAfterWindowAsync(share, raise.Token);
    }

    private async Task RaiseAfterWindowAsync(int share, CancellationToken ct)
    {
        try
        {
            await Task.Delay(XeroLimits.Length + xero.Value.WindowMargin, clock, ct);
            lock (_gate)
            {
                if (ct.IsCancellationRequested) return;
                _raising = null;
                Apply(share);
            }
        }
        catch (OperationCanceledException)
        {
            // a newer membership view decided
        }
    }

    private void Apply(int share)
    {
        _share = share;
        limits.ShareAppLimit(share);
        LogShare(share, xero.Value.AppMinuteLimit);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "This silo's share of Xero's app limit: {Share} of {Limit} calls a minute")]
    private partial void LogShare(int share, int limit);
}
