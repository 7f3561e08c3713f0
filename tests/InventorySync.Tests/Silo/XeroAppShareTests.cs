using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using InventorySync.Silo.Workers;
using InventorySync.Storage;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero;
using InventorySync.Xero.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace InventorySync.Tests.Silo;

/// <summary>A silo's share of Xero's app-wide limit as the cluster's membership changes, on simulated time.</summary>
public sealed class XeroAppShareTests
{
    private static readonly SiloAddress Self = SiloAddress.New(IPAddress.Loopback, 11111, 1);

    [Fact]
    public async Task A_silo_joining_others_takes_its_share_a_window_later_though_the_same_view_comes_again()
    {
        var clock = TestClock.New();
        var three = View(1, Self, Other(11112), Other(11113));
        var membership = new Membership(three);
        var options = Options.Create(new XeroOptions());
        using var limits = new XeroLimits(options, clock);
        var gate = new StartupGate();
        gate.Open();
        using var share = new XeroAppShare(membership, new LocalSilo(), limits, options, gate, clock,
            NullLogger<XeroAppShare>.Instance);

        await share.StartAsync(CancellationToken.None);
        await membership.HandledAsync();
        // The others may have called Xero in the last minute with all of it: nothing until they have shrunk.
        Assert.Equal(0, limits.AppShare);

        // Orleans hands out the view it has again now and then; each must not start the wait over.
        clock.Advance(TimeSpan.FromSeconds(30));
        await membership.ShowAsync(three);
        clock.Advance(TimeSpan.FromSeconds(30));
        await membership.ShowAsync(three);
        Assert.Equal(0, limits.AppShare);
        clock.Advance(options.Value.WindowMargin);

        Assert.Equal(options.Value.AppMinuteLimit / 3, limits.AppShare);
        await share.StopAsync(CancellationToken.None);
    }

    private static SiloAddress Other(int port) => SiloAddress.New(IPAddress.Loopback, port, 1);

    private static ClusterMembershipSnapshot View(long version, params SiloAddress[] active) => new(
        active.ToImmutableDictionary(s => s, s => new ClusterMember(s, SiloStatus.Active, s.ToString())),
        new MembershipVersion(version));

    /// <summary>Membership views handed to the silo one at a time; each is handled before the next.</summary>
    private sealed class Membership(ClusterMembershipSnapshot current) : IClusterMembershipService
    {
        private readonly Channel<ClusterMembershipSnapshot> _views =
            Channel.CreateUnbounded<ClusterMembershipSnapshot>();
        private readonly SemaphoreSlim _waiting = new(0);

        public ClusterMembershipSnapshot CurrentSnapshot { get; private set; } = current;

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => Updates();

        /// <summary>Completes once the silo has handled every view shown and waits for the next.</summary>
        public async Task HandledAsync()
        {
            await WaitingAsync();
            _waiting.Release();
        }

        public async Task ShowAsync(ClusterMembershipSnapshot view)
        {
            await WaitingAsync();
            CurrentSnapshot = view;
            _views.Writer.TryWrite(view);
            await HandledAsync();
        }

        private async Task WaitingAsync() =>
            Assert.True(await _waiting.WaitAsync(TimeSpan.FromMinutes(1)), "the silo stopped taking membership views");

        private async IAsyncEnumerable<ClusterMembershipSnapshot> Updates(
            [EnumeratorCancellation] CancellationToken ct = default)
        {
            while (true)
            {
                _waiting.Release();
                yield return await _views.Reader.ReadAsync(ct);
            }
        }

        public ValueTask Refresh(MembershipVersion minimumVersion, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => Task.FromResult(false);
    }

    private sealed class LocalSilo : ILocalSiloDetails
    {
        public string Name => "self";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress => Self;
        public SiloAddress GatewayAddress => Self;
    }
}
