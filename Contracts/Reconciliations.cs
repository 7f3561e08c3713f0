namespace InventorySync.Contracts;

/// <summary>
/// A reconciliation of our documents against Xero's for a date range (S8): the summary for any period, the detailed
/// list of differences for at most a month. <see cref="Accounts"/>: the account codes to look at (all by default).
/// <see cref="DryRun"/>: only the cost, nothing starts. <see cref="Email"/>: where to send the result, with the report
/// as a CSV file.
/// </summary>
public sealed record ReconciliationRequest(DateOnly? From, DateOnly? To, bool? Detailed,
    IReadOnlyList<string>? Accounts,
    bool? DryRun, string? Email);

/// <summary>What a report would cost, and the organisation's day budget it would come out of.</summary>
public sealed record ReconciliationPlan(int EstimatedCalls, int DayRemaining, int Reserve);

public enum ReconciliationState { Running, Completed, Failed }

public sealed record ReconciliationResponse(
    Guid Id, DateOnly From, DateOnly To, bool Detailed, IReadOnlyList<string> Accounts, string? Email,
    ReconciliationState State, int EstimatedCalls,
    int? Calls,
    DateTime CreatedAt, DateTime? FinishedAt, string? Message, ReconciliationResult? Result) : IResource;

/// <summary>
/// Totals per document type and per account, ours against Xero's; with a detailed report, every document that differs.
/// </summary>
public sealed record ReconciliationResult(bool FullyReconciled, int DifferenceCount,
    IReadOnlyList<ReconciliationTotal> Totals, IReadOnlyList<ReconciliationAccountTotal> Accounts,
    IReadOnlyList<ReconciliationDifference>? Differences);

/// <summary>An account's lines (or payments) of one document type: ours, Xero's and the difference.</summary>
public sealed record ReconciliationAccountTotal(string AccountCode, SyncEntity DocumentType, decimal Ours, decimal Xero,
    decimal Difference);

public sealed record ReconciliationTotal(SyncEntity DocumentType, int OurCount, decimal Ours, int XeroCount,
    decimal Xero, decimal Difference);

/// <summary>
/// A document on one side only (<see cref="Side"/> "ours" or "xero": Missed on the other), or on both with different
/// amounts (Side null).
/// </summary>
public sealed record ReconciliationDifference(SyncEntity DocumentType, string Status, string? Side, Guid? OurId,
    string? OurLink, string? OurNumber, decimal? OurAmount, string? XeroId, string? XeroNumber, decimal? XeroAmount);
