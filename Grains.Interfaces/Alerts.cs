namespace InventorySync.Contracts;

public sealed record NotificationResponse(long Id, DateTime At, string Title, string Body, DateTime? ReadAt);

public sealed record UnreadCount(int Count);

public sealed record ActivityQuery(DateTime? From, DateTime? To, ActivityType? Type, string? User, int? Page, int? PageSize);

public sealed record ActivityResponse(long Id, DateTime At, ActivityType Type, string? UserName, string Summary, string? Details);
