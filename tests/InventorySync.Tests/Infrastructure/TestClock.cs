using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Tests.Infrastructure;

/// <summary>Simulated time: a clock that moves only when a test moves it, its timers firing as it passes them.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider New() => new(Start);
}
