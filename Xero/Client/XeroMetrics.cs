using System.Diagnostics.Metrics;

namespace InventorySync.Xero.Client;

/// <summary>
/// What the Xero client counts for operators (OpenTelemetry, the <see cref="MeterName"/> meter): every call by its
/// status (429s among them), and each organisation's day budget as Xero last reported it, by tenant.
/// </summary>
public sealed class XeroMetrics
{
    public const string MeterName = "InventorySync";

    private readonly Counter<long> _calls;

    public XeroMetrics(IMeterFactory meters, XeroLimits limits)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("inventorysync.xero.calls", "{call}",
            "Calls answered by Xero, by HTTP status (429: refused by its rate limits)");
        meter.CreateObservableGauge("inventorysync.xero.day_budget_remaining", () => limits.DayBudgets()
                .Select(b => new Measurement<int>(b.Remaining,
                    new KeyValuePair<string, object?>("tenant", b.TenantId))),
            "{call}", "Calls left of the organisation's day, as Xero's last answer said");
    }

    public void Answered(int status) => _calls.Add(1, new KeyValuePair<string, object?>("status", status));
}
