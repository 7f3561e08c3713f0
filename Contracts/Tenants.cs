namespace InventorySync.Contracts;

public sealed record TenantRequest(string? Name, string? TimeZone);

public sealed record TenantResponse(Guid Id, string Name, string TimeZone, TenantStatus Status, DateTime CreatedAt, DateTime UpdatedAt) : IResource;

public sealed record UserRequest(string? Name);

public sealed record UserResponse(Guid Id, string Name, string KeyPrefix, DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>The only answer that ever carries a user's API key: it is stored hashed.</summary>
public sealed record CreatedUserResponse(Guid Id, string Name, string ApiKey, DateTime CreatedAt) : IResource;
