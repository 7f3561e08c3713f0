using InventorySync.Contracts;

namespace InventorySync.Storage.Entities;

/// <summary>One synchronisation of one tenant. At most one per tenant is queued or running (unique partial index).</summary>
public sealed class Run
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public RunTrigger Trigger { get; set; }
    public string? StartedBy { get; set; }
    public RunState State { get; set; }
    /// <summary>Records pending since before this moment belong to the run (S3.5).</summary>
    public DateTime Cutoff { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The silo that executed the run last.</summary>
    public string? Owner { get; set; }
    public int SyncedCount { get; set; }
    public int FailedCount { get; set; }
    public int SkippedCount { get; set; }
    public int PendingCount { get; set; }
    public string? Message { get; set; }
}

public sealed class SyncTransaction
{
    public long Id { get; set; }
    /// <summary>The run that made it; none for an attachment exported as soon as it was added.</summary>
    public Guid? RunId { get; set; }
    public Guid TenantId { get; set; }
    public SyncEntity Entity { get; set; }
    public Guid DocumentId { get; set; }
    public required string DocumentLabel { get; set; }
    public SyncAction Action { get; set; }
    public SyncStatus Status { get; set; }
    public string? Message { get; set; }
    public string? XeroId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A tenant's auto-sync schedule: slots at Start + n·Period, each claimed by one node through Version.</summary>
public sealed class Schedule
{
    public Guid TenantId { get; set; }
    public DateTime StartUtc { get; set; }
    public int PeriodSeconds { get; set; }
    public required string TimeZone { get; set; }
    public DateTime NextDueUtc { get; set; }
}

public sealed class MaintenanceWindow
{
    public Guid Id { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ActivityEntry
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTime At { get; set; }
    public required string Type { get; set; }
    public string? UserName { get; set; }
    public required string Summary { get; set; }
    public string? Details { get; set; }
}

public sealed class Notification
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTime At { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>A message to send (e-mail, ...), written with the change that causes it and sent at least once.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid? TenantId { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class Reconciliation
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public required string Accounts { get; set; }
    public bool Detailed { get; set; }
    public required string State { get; set; }
    public int EstimatedCalls { get; set; }
    /// <summary>The Xero calls the report spent.</summary>
    public int? Calls { get; set; }
    /// <summary>Why a report failed.</summary>
    public string? Message { get; set; }
    public string? Result { get; set; }
    public string? Email { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}
