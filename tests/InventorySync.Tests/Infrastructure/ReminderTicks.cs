using System.Collections.Concurrent;
using Orleans.Reminders.Diagnostics;
using Orleans.Runtime;

namespace InventorySync.Tests.Infrastructure;

/// <summary>
/// Reminder ticks being delivered, read from Orleans' reminder diagnostics. A tick counts from its firing until its
/// reminder waits for the next one: moving the clock in between would make Orleans skip that next tick as missed.
/// </summary>
public sealed class ReminderTicks : IObserver<ReminderEvents.ReminderEvent>
{
    public static readonly ReminderTicks All = Subscribe();

    private readonly ConcurrentDictionary<(SiloAddress?, GrainId, string), byte> _delivering = new();

    private static ReminderTicks Subscribe()
    {
        var ticks = new ReminderTicks();
        ReminderEvents.AllEvents.Subscribe(ticks);
        return ticks;
    }

    /// <summary>Whether a tick is being delivered on one of these silos.</summary>
    public bool DeliveringOn(IReadOnlyCollection<SiloAddress> silos) => _delivering.Keys.Any(k => k.Item1 is { } silo && silos.Contains(silo));

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        var key = (value.SiloAddress, value.GrainId, value.ReminderName);
        switch (value)
        {
            case ReminderEvents.TickFiring:
                _delivering[key] = 0;
                break;
            case ReminderEvents.LocalReminderTickWaitArmed or ReminderEvents.LocalReminderStopped:
                _delivering.TryRemove(key, out _);
                break;
        }
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }
}
