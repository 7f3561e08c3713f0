namespace InventorySync.Grains.Sync;

/// <summary>
/// How often a tenant that pulls payments asks Xero for them between runs (every run asks too, at its start).
/// </summary>
public sealed class PaymentPullOptions
{
    public const string Section = "Payments";

    public TimeSpan PullEvery { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The coordinator's durable pull cursor: Xero's time of the last payment change seen. Kept in Orleans' grain
/// storage, as nothing but the coordinator reads it.
/// </summary>
[GenerateSerializer]
public sealed class PaymentPullState
{
    [Id(0)]
    public DateTime? Cursor { get; set; }
}
