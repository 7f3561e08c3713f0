using InventorySync.Grains.Sync;
using InventorySync.Storage.Entities;

namespace InventorySync.Tests.Sync;

public sealed class ScheduleMathTests
{
    private static Schedule Every(TimeSpan period, DateTime startUtc, string zone = "UTC") =>
        new() { StartUtc = startUtc, PeriodSeconds = (int)period.TotalSeconds, TimeZone = zone };

    private static DateTime Utc(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, DateTimeKind.Utc);

    [Fact]
    public void Slots_are_anchored_to_the_start_and_missed_ones_are_skipped()
    {
        var s = Every(TimeSpan.FromMinutes(15), Utc(11, 2, 9, 5));
        Assert.Equal(Utc(11, 2, 9, 5), Schedules.NextSlot(s, Utc(11, 1, 0)));
        Assert.Equal(Utc(11, 2, 9, 5), Schedules.NextSlot(s, Utc(11, 2, 9, 5), inclusive: true));
        Assert.Equal(Utc(11, 2, 9, 20), Schedules.NextSlot(s, Utc(11, 2, 9, 5)));
        // Down from 09:21 to 13:00: the next slot is the first one ahead, 13:05, not the 15 that were missed.
        Assert.Equal(Utc(11, 2, 13, 5), Schedules.NextSlot(s, Utc(11, 2, 13, 0)));
        Assert.Equal(Utc(11, 2, 13, 20), Schedules.NextSlot(s, Utc(11, 2, 13, 5)));
    }

    [Fact]
    public void Daily_slots_keep_their_local_time_across_daylight_saving()
    {
        // 06:00 in London: 05:00 UTC in summer time, 06:00 UTC after the clocks go back on 25 October 2026.
        var s = Every(TimeSpan.FromDays(1), Utc(10, 20, 5), "Europe/London");
        Assert.Equal(Utc(10, 24, 5), Schedules.NextSlot(s, Utc(10, 23, 12)));
        Assert.Equal(Utc(10, 25, 6), Schedules.NextSlot(s, Utc(10, 24, 12)));
        Assert.Equal(Utc(10, 27, 6), Schedules.NextSlot(s, Utc(10, 26, 6)));
        var weekly = Every(TimeSpan.FromDays(7), Utc(10, 20, 5), "Europe/London");
        Assert.Equal(Utc(10, 27, 6), Schedules.NextSlot(weekly, Utc(10, 21, 0)));
    }
}
