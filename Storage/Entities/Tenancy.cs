using InventorySync.Contracts;

namespace InventorySync.Storage.Entities;

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string TimeZone { get; set; }
    public TenantStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class User
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the key: keys are 256-bit random, so a fast hash is enough and lookups stay indexed.</summary>
    public required string KeyHash { get; set; }
    public required string KeyPrefix { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>The operator key generated on first start when INVENTORYSYNC_ADMIN_KEY is not set.</summary>
public sealed class OperatorKey
{
    public int Id { get; set; }
    public required string KeyHash { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class TenantSettings
{
    public Guid TenantId { get; set; }
    public bool ExportAttachments { get; set; }
    public PaymentDirection PaymentDirection { get; set; } = PaymentDirection.Both;
    public bool AutoSyncEnabled { get; set; }
    public DateOnly? AutoSyncStartDate { get; set; }
    public TimeOnly? AutoSyncStartTime { get; set; }
    public int AutoSyncEvery { get; set; } = 1;
    public FrequencyUnit AutoSyncUnit { get; set; } = FrequencyUnit.Hours;
    public AlertType AlertType { get; set; } = AlertType.Internal;
    /// <summary>The mailing list, one address per line.</summary>
    public string AlertEmails { get; set; } = "";
    /// <summary>Where each payment pulled from Xero is posted (S5.3), signed with the secret below.</summary>
    public string? PaymentsWebhookUrl { get; set; }
    /// <summary>Encrypted with Data Protection; shown once, when it is made.</summary>
    public string? PaymentsWebhookSecretProtected { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AccountMapping
{
    public Guid TenantId { get; set; }
    public AccountPurpose Purpose { get; set; }
    public required string AccountCode { get; set; }
}

public sealed class XeroConnection
{
    public Guid TenantId { get; set; }
    public ConnectionStatus Status { get; set; }
    public string? XeroTenantId { get; set; }
    public string? ConnectionId { get; set; }
    public string? OrganisationName { get; set; }
    /// <summary>Encrypted with Data Protection; never stored or logged in clear.</summary>
    public string? AccessTokenProtected { get; set; }
    public string? RefreshTokenProtected { get; set; }
    public DateTime? AccessTokenExpiresAt { get; set; }
    /// <summary>
    /// When a run first went through every document with this organisation; until then runs look up what it already
    /// holds before creating anything (an organisation already in use).
    /// </summary>
    public DateTime? OnboardedAt { get; set; }
    /// <summary>The OAuth2 state of an authorisation under way.</summary>
    public string? PendingState { get; set; }
    public long Version { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The first answer to a write sent with an Idempotency-Key, replayed to any retry.</summary>
public sealed class IdempotencyRecord
{
    public required string Scope { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? Location { get; set; }
    public string? Body { get; set; }
    public DateTime CreatedAt { get; set; }
}
