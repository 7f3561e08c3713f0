namespace InventorySync.Grains;

/// <summary>A reconciliation to start (or, with <see cref="DryRun"/>, only to price).</summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationStart(
    [property: Id(0)] Guid ReportId,
    [property: Id(1)] DateOnly From,
    [property: Id(2)] DateOnly To,
    [property: Id(3)] bool Detailed,
    [property: Id(4)] IReadOnlyList<string> Accounts,
    [property: Id(5)] int EstimatedCalls,
    [property: Id(6)] bool DryRun,
    [property: Id(7)] string? Email);

/// <summary>The day budget a report was weighed against; <see cref="Started"/> when it went ahead.</summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationBudget(
    [property: Id(0)] int DayRemaining, [property: Id(1)] int Reserve, [property: Id(2)] bool Started);
