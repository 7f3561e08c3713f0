using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace InventorySync.Xero.Client;

/// <summary>
/// Keeps every organisation under Xero's limits (5 calls at once, a minute window, a daily budget) and the app under
/// its own minute window. The windows roll on <see cref="TimeProvider"/>'s clock, and Xero's X-*-Remaining headers
/// correct them when Xero counted calls we did not (another process, another app instance).
/// </summary>
public sealed class XeroLimits : IDisposable
{
    private readonly XeroOptions _options;
    private readonly TimeProvider _clock;
    private readonly Window _app;
    private readonly ConcurrentDictionary<string, Organisation> _orgs = new(StringComparer.OrdinalIgnoreCase);

    public XeroLimits(IOptions<XeroOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _app = new Window(_options.AppMinuteLimit, _options.WindowMargin, clock);
    }

    public sealed class Organisation : IDisposable
    {
        internal Organisation(XeroOptions options, TimeProvider clock)
        {
            Minute = new Window(options.MinuteLimit, options.WindowMargin, clock);
            Concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.ConcurrentLimit, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        internal Window Minute { get; }
        internal ConcurrencyLimiter Concurrency { get; }
        public int? DayRemaining { get; internal set; }
        /// <summary>Our tenant connected to this organisation (for the day budget's metric).</summary>
        public Guid? TenantId { get; internal set; }
        public DateTime? DaySpentUntil { get; internal set; }

        public void Dispose()
        {
            Minute.Dispose();
            Concurrency.Dispose();
        }
    }

    /// <summary>
    /// A rolling one-minute window, held a margin longer than Xero's: we count a call when it leaves, Xero when it
    /// arrives, and a call whose trip is quicker than an earlier one's must not land inside that one's minute.
    /// </summary>
    internal sealed class Window(int permits, TimeSpan margin, TimeProvider clock) : IDisposable
    {
        public RollingWindowRateLimiter Limiter { get; } = new(permits, Length + margin, clock);

        /// <summary>Xero says fewer calls remain than we think: count the difference as spent.</summary>
        public void CorrectTo(int remaining)
        {
            var excess = Limiter.Available - remaining;
            if (excess > 0) Limiter.Consume(excess);
        }

        public void Dispose() => Limiter.Dispose();
    }

    /// <summary>Xero's windows: calls per minute, per organisation and per app.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);

    private int _callsInProgress;

    /// <summary>Calls holding their place within the limits right now: about to call Xero or waiting for its answer.</summary>
    public int CallsInProgress => Volatile.Read(ref _callsInProgress);

    /// <summary>
    /// This process's share of the app's calls a minute, when several processes share one Xero app (at most
    /// <see cref="XeroOptions.AppMinuteLimit"/>; none while it must wait).
    /// </summary>
    public void ShareAppLimit(int permits) => _app.Limiter.SetLimit(permits);

    /// <summary>The calls a minute this process may make for the app now.</summary>
    public int AppShare => _app.Limiter.Limit;

    /// <summary>Each organisation's day budget as Xero last reported it, with its tenant.</summary>
    public IEnumerable<(Guid TenantId, int Remaining)> DayBudgets() =>
        _orgs.Values.Where(o => o is { TenantId: not null, DayRemaining: not null })
            .Select(o => (o.TenantId!.Value, o.DayRemaining!.Value));

    public Organisation For(string xeroTenantId) => _orgs.GetOrAdd(xeroTenantId, _ => new Organisation(_options, _clock));

    /// <summary>
    /// Waits for a place among the organisation's calls at once, then in the app's window and the organisation's:
    /// the windows count a call just before it leaves, as Xero counts it when it arrives. (Counted first, a call
    /// queued behind the five at once would reach Xero seconds after its count, past the windows' margin.)
    /// </summary>
    public async Task<IDisposable> AcquireAsync(Organisation org, CancellationToken ct)
    {
        ThrowIfDaySpent(org);
        var leases = new List<RateLimitLease>(3);
        try
        {
            leases.Add(await org.Concurrency.AcquireAsync(1, ct));
            leases.Add(await _app.Limiter.AcquireAsync(1, ct));
            leases.Add(await org.Minute.Limiter.AcquireAsync(1, ct));
            if (leases.Any(l => !l.IsAcquired)) throw new XeroRateLimitException("client-side");
            Interlocked.Increment(ref _callsInProgress);
            return new Leases(leases, () => Interlocked.Decrement(ref _callsInProgress));
        }
        catch
        {
            new Leases(leases, null).Dispose();
            throw;
        }
    }

    public void ThrowIfDaySpent(Organisation org)
    {
        if (org.DaySpentUntil is { } until && until > _clock.GetUtcNow().UtcDateTime) throw new XeroDayLimitException(until);
    }

    /// <summary>Reads Xero's X-MinLimit-Remaining, X-DayLimit-Remaining and X-AppMinLimit-Remaining.</summary>
    public void Observe(Organisation org, HttpResponseHeaders headers)
    {
        if (Header(headers, "X-MinLimit-Remaining") is { } minute) org.Minute.CorrectTo(minute);
        if (Header(headers, "X-AppMinLimit-Remaining") is { } app) _app.CorrectTo(app);
        if (Header(headers, "X-DayLimit-Remaining") is { } day)
        {
            org.DayRemaining = day;
            // With nothing left, the next call could only earn a 429; look again in an hour (Xero's window rolls).
            if (day <= 0) org.DaySpentUntil ??= _clock.GetUtcNow().UtcDateTime.AddHours(1);
            else org.DaySpentUntil = null;
        }
    }

    public void DaySpent(Organisation org, TimeSpan retryAfter) => org.DaySpentUntil = _clock.GetUtcNow().UtcDateTime + retryAfter;

    public void Dispose()
    {
        _app.Dispose();
        foreach (var org in _orgs.Values) org.Dispose();
    }

    private static int? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private sealed class Leases(List<RateLimitLease> leases, Action? released) : IDisposable
    {
        public void Dispose()
        {
            foreach (var lease in leases) lease.Dispose();
            released?.Invoke();
        }
    }
}
