namespace InventorySync.Contracts;

public sealed record TenantSettingsDto(
    bool? ExportAttachments,
    PaymentDirection? PaymentDirection,
    AutoSyncSettingsDto? AutoSync,
    AlertSettingsDto? Alerts);

public sealed record AutoSyncSettingsDto(bool? Enabled, DateOnly? StartDate, TimeOnly? StartTime, int? Every, FrequencyUnit? Unit);

public sealed record AlertSettingsDto(AlertType? Type, IReadOnlyList<string>? Emails);

/// <summary>Account codes in the tenant's Xero chart, by what they are used for.</summary>
public sealed record AccountMappingsDto(string? Sales, string? Purchases, string? Bank, string? CustomerCredits, string? SupplierDeposits);

public sealed record XeroConnectStarted(string AuthorizeUrl);

public sealed record XeroConnectionResponse(ConnectionStatus Status, string? OrganisationName, string? XeroTenantId, DateTime? UpdatedAt);

public sealed record XeroOrganisationResponse(string? Name, string? BaseCurrency, string? CountryCode);

public sealed record RunStarted(Guid RunId);

public sealed record RunResponse(
    Guid Id, RunTrigger Trigger, string? StartedBy, RunState State, DateTime Cutoff, DateTime CreatedAt, DateTime? StartedAt,
    DateTime? FinishedAt, int Synced, int Failed, int Skipped, int Pending, string? Message);

public sealed record SyncTransactionResponse(
    long Id, Guid? RunId, SyncEntity Entity, Guid DocumentId, string Document, string Link, SyncAction Action, SyncStatus Status,
    string? Message, string? XeroId, DateTime At);

public sealed record TransactionQuery(SyncEntity? Entity, SyncStatus? Status, Guid? RunId, int? Page, int? PageSize);

public sealed record MaintenanceWindowRequest(DateTime? StartsAt, DateTime? EndsAt, string? Reason);

public sealed record MaintenanceWindowResponse(Guid Id, DateTime StartsAt, DateTime EndsAt, string? Reason, DateTime CreatedAt) : IResource;
