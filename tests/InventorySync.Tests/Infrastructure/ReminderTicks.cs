using System.Collections.Concurrent;
using Orleans.Reminders.Diagnostics;
using Orleans.Runtime;

namespace InventorySync.Tests.Infrastructure;

/// <summary>
/// Reminder ticks as Orleans' reminder diagnostics report them. A tick counts as delivering from its firing until
/// its reminder waits for the next one: moving the clock in between would make Orleans skip that next tick as
/// missed. A reminder counts as armed on a silo while that silo waits to deliver its next tick.
/// </summary>
public sealed class ReminderTicks : IObserver<ReminderEvents.ReminderEvent>
{
    public static readonly ReminderTicks All = Subscribe();

    private readonly ConcurrentDictionary<(SiloAddress?, GrainId, string), byte> _delivering = new();
    private readonly ConcurrentDictionary<(SiloAddress?, GrainId, string), byte> _armed = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<SiloAddress, GrainId, string, bool> Match, TaskCompletionSource Done)> _waiters = [];

    private static ReminderTicks Subscribe()
    {
        var ticks = new ReminderTicks();
        ReminderEvents.AllEvents.Subscribe(ticks);
        return ticks;
    }

    /// <summary>Whether a tick is being delivered on one of these silos.</summary>
    public bool DeliveringOn(IReadOnlyCollection<SiloAddress> silos) => _delivering.Keys.Any(k => k.Item1 is { } silo && silos.Contains(silo));

    /// <summary>Completes once a reminder that <paramref name="match"/> accepts is armed (it may be already).</summary>
    public Task ArmedAsync(Func<SiloAddress, GrainId, string, bool> match)
    {
        var waiter = (match, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            if (_armed.Keys.Any(k => k.Item1 is { } silo && match(silo, k.Item2, k.Item3))) return Task.CompletedTask;
            _waiters.Add(waiter);
        }
        return waiter.Item2.Task;
    }

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        var key = (value.SiloAddress, value.GrainId, value.ReminderName);
        switch (value)
        {
            case ReminderEvents.TickFiring:
                _armed.TryRemove(key, out _);
                _delivering[key] = 0;
                break;
            case ReminderEvents.LocalReminderStopped:
                _armed.TryRemove(key, out _);
                _delivering.TryRemove(key, out _);
                break;
            case ReminderEvents.LocalReminderTickWaitArmed:
                _delivering.TryRemove(key, out _);
                _armed[key] = 0;
                Release(key);
                break;
        }
    }

    private void Release((SiloAddress?, GrainId, string) key)
    {
        if (key.Item1 is not { } silo) return;
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            done = _waiters.Where(w => w.Match(silo, key.Item2, key.Item3)).Select(w => w.Done).ToList();
            _waiters.RemoveAll(w => done.Contains(w.Done));
        }
        foreach (var waiter in done) waiter.TrySetResult();
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }
}
