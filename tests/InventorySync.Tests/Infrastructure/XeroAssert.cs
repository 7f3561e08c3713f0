using InventorySync.XeroSandbox.State;

namespace InventorySync.Tests.Infrastructure;

public static class XeroAssert
{
    /// <summary>No rolling minute holds more than <paramref name="limit"/> of the calls Xero answered (429s aside).</summary>
    public static void NeverAbove(IEnumerable<RecordedRequest> requests, int limit)
    {
        var answered = requests.Where(r => r.Status != 429).Select(r => r.At).Order().ToList();
        for (var i = 0; i < answered.Count; i++)
            Assert.True(answered.Count(t => t >= answered[i] && t < answered[i] + TimeSpan.FromMinutes(1)) <= limit,
                $"more than {limit} calls in the minute from {answered[i]:O}");
    }
}
