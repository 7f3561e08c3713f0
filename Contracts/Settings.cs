namespace InventorySync.Contracts;

public sealed record TenantSettingsDto(
    bool? ExportAttachments,
    PaymentDirection? PaymentDirection,
    AutoSyncSettingsDto? AutoSync,
    AlertSettingsDto? Alerts);

public sealed record AutoSyncSettingsDto(bool? Enabled, DateOnly? StartDate, TimeOnly? StartTime, int? Every,
    FrequencyUnit? Unit);

public sealed record AlertSettingsDto(AlertType? Type, IReadOnlyList<string>? Emails);

/// <summary>Account codes in the tenant's Xero chart, by what they are used for.</summary>
public sealed record AccountMappingsDto(string? Sales, string? Purchases, string? Bank, string? CustomerCredits,
    string? SupplierDeposits);

public sealed record XeroConnectStarted(string AuthorizeUrl);

public sealed record XeroConnectionResponse(ConnectionStatus Status, string? OrganisationName, string? XeroTenantId,
    DateTime? UpdatedAt);

public sealed record XeroOrganisationResponse(string? Name, string? BaseCurrency, string? CountryCode);

public sealed record RunStarted(Guid RunId);

public sealed record RunResponse(
    Guid Id, RunTrigger Trigger, string? StartedBy, RunState State, DateTime Cutoff, DateTime CreatedAt,
        DateTime? StartedAt,
    DateTime? FinishedAt, int Synced, int Failed, int Skipped, int Pending, string? Message);

public sealed record SyncTransactionResponse(
    long Id, Guid? RunId, SyncEntity Entity, Guid DocumentId, string Document, string Link, SyncAction Action,
        SyncStatus Status,
    string? Message, string? XeroId, DateTime At);

public sealed record TransactionQuery(SyncEntity? Entity, SyncStatus? Status, Guid? RunId, int? Page, int? PageSize,
    Guid? DocumentId = null);

public sealed record MaintenanceWindowRequest(DateTime? StartsAt, DateTime? EndsAt, string? Reason);

public sealed record MaintenanceWindowResponse(Guid Id, DateTime StartsAt, DateTime EndsAt, string? Reason,
    DateTime CreatedAt) : IResource;

/// <summary>What the next sync would do with a document of ours, against what the organisation already holds.</summary>
public sealed record OnboardingItem(SyncEntity Entity, Guid Id, string Document, string? XeroId, string? Detail);

/// <summary>The Xero calls the next sync would spend: look-ups of what Xero holds, and batches written.</summary>
public sealed record OnboardingCalls(int LookUps, int Writes);

/// <summary>A dry run of the next sync's contacts, invoices and bills: nothing is written to Xero.</summary>
public sealed record OnboardingPreviewResponse(
    IReadOnlyList<OnboardingItem> Link, IReadOnlyList<OnboardingItem> Create, IReadOnlyList<OnboardingItem> Refuse,
    OnboardingCalls Calls);

public sealed record PaymentWebhookRequest(string? Url);

/// <summary>The payments webhook; its signing secret is shown once, in the answer that made it.</summary>
public sealed record PaymentWebhookResponse(string Url, string? Secret);

/// <summary>
/// What the payments webhook posts for each payment pulled from Xero (<c>payment.pulled</c>) or deleted there
/// (<c>payment.deleted</c>). <see cref="Id"/> is the same on every delivery of one event: a receiver that has seen it
/// drops the repeat. The body is signed: header <c>X-InventorySync-Signature: sha256=&lt;hex HMAC-SHA256 of the body
/// with the secret&gt;</c>.
/// </summary>
public sealed record PaymentWebhookEvent(string Id, string Type, Guid TenantId, DateTime OccurredAt,
    PaymentResponse Payment);
