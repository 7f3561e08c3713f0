using System.Threading.RateLimiting;

namespace InventorySync.Xero.Client;

/// <summary>
/// At most N permits in any rolling window, as Xero counts calls, on a <see cref="TimeProvider"/>'s clock. (The
/// BCL's SlidingWindowRateLimiter replenishes on the machine's clock even when replenished by hand, so a simulated
/// clock cannot drive it.) Waiters are served in order as the oldest calls leave the window.
/// </summary>
public sealed class RollingWindowRateLimiter : RateLimiter
{
    /// <summary>The most permits the window can hold; <see cref="_limit"/> may be set lower, even to none.</summary>
    private readonly int _ceiling;
    private readonly TimeSpan _window;
    private readonly TimeProvider _clock;
    private readonly Queue<DateTimeOffset> _calls = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastUsed;
    private int _limit;

    private sealed record Waiter(int Permits, TaskCompletionSource<RateLimitLease> Done);

    public RollingWindowRateLimiter(int limit, TimeSpan window, TimeProvider clock)
    {
        (_ceiling, _limit, _window, _clock) = (limit, limit, window, clock);
        _timer = clock.CreateTimer(_ => Serve(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate) return _calls.Count == 0 && _waiters.Count == 0 && _lastUsed is { } last ? _clock.GetUtcNow() - last : null;
        }
    }

    public int Available
    {
        get
        {
            lock (_gate)
            {
                Prune(_clock.GetUtcNow());
                return _limit - _calls.Count;
            }
        }
    }

    public int Limit
    {
        get
        {
            lock (_gate) return _limit;
        }
    }

    /// <summary>
    /// Changes how many permits the window holds (at most the ceiling it was made with). Lowered, calls already in the
    /// window stay counted and new ones wait until enough have left it; raised, waiters are served at once.
    /// </summary>
    public void SetLimit(int limit)
    {
        lock (_gate) _limit = Math.Clamp(limit, 0, _ceiling);
        Serve();
    }

    /// <summary>Counts calls made elsewhere (another process, another app instance) that Xero reported.</summary>
    public void Consume(int permits)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            for (var i = 0; i < permits && _calls.Count < _limit; i++) _calls.Enqueue(now);
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate) return new RateLimiterStatistics { CurrentAvailablePermits = _limit - _calls.Count, CurrentQueuedCount = _waiters.Count };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate) return _waiters.Count == 0 && TryTake(permitCount) ? Lease.Acquired : Lease.Refused;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken ct)
    {
        if (permitCount > _ceiling) return ValueTask.FromResult<RateLimitLease>(Lease.Refused);
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && TryTake(permitCount)) return ValueTask.FromResult<RateLimitLease>(Lease.Acquired);
            waiter = new Waiter(permitCount, new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously));
            node = _waiters.AddLast(waiter);
            ScheduleLocked();
        }
        var registration = ct.Register(() =>
        {
            lock (_gate)
                if (node.List is not null) _waiters.Remove(node);
            waiter.Done.TrySetCanceled(ct);
        });
        return new ValueTask<RateLimitLease>(waiter.Done.Task.ContinueWith(t =>
        {
            registration.Dispose();
            return t.Result;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
    }

    protected override void Dispose(bool disposing)
    {
        _timer.Dispose();
        lock (_gate)
        {
            foreach (var waiter in _waiters) waiter.Done.TrySetResult(Lease.Refused);
            _waiters.Clear();
        }
    }

    private void Serve()
    {
        var served = new List<Waiter>();
        lock (_gate)
        {
            while (_waiters.First is { } first && TryTake(first.Value.Permits))
            {
                _waiters.RemoveFirst();
                served.Add(first.Value);
            }
            ScheduleLocked();
        }
        foreach (var waiter in served) waiter.Done.TrySetResult(Lease.Acquired);
    }

    private bool TryTake(int permits)
    {
        var now = _clock.GetUtcNow();
        Prune(now);
        if (_calls.Count + permits > _limit) return false;
        for (var i = 0; i < permits; i++) _calls.Enqueue(now);
        _lastUsed = now;
        return true;
    }

    /// <summary>Wakes up when the oldest call leaves the window, while anyone waits.</summary>
    private void ScheduleLocked()
    {
        if (_waiters.Count == 0 || _calls.Count == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = _calls.Peek() + _window - _clock.GetUtcNow();
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_calls.Count > 0 && _calls.Peek() + _window <= now) _calls.Dequeue();
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
